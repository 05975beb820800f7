# Tests of libedgevirt-model and the edgevirt-model CLI (owner: model). Label "unit".
foreach(t test_claims)
  add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
  target_link_libraries(${t} PRIVATE edgevirt-model)
endforeach()
#add_test(NAME model COMMAND test_model)
#add_test(NAME model_fit COMMAND test_model_fit)
add_test(NAME claims COMMAND test_claims)
# The CLI: usage errors, malformed model files, predict --json shape, and
# `edgevirt-model fit data/paper/runs.jsonl` reproducing the embedded model.
set_tests_properties(claims PROPERTIES LABELS "unit")

