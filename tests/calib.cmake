# Calibration and validation on the testbed (owner: calib; issue 7, docs/calibration.md).
# test_xval: ev_xval on synthetic records with a known cost model (label "unit").
add_executable(test_xval ${CMAKE_CURRENT_LIST_DIR}/test_xval.c)
target_link_libraries(test_xval PRIVATE edgevirt-model)
add_test(NAME xval COMMAND test_xval)
set_tests_properties(xval PROPERTIES LABELS "unit")
