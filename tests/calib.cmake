# Calibration and validation on the testbed (owner: calib; issue 7, docs/calibration.md).
# test_xval: ev_xval on synthetic records with a known cost model (label "unit").
add_executable(test_xval ${CMAKE_CURRENT_LIST_DIR}/test_xval.c)
target_link_libraries(test_xval PRIVATE edgevirt-model)
add_test(NAME xval COMMAND test_xval)
set_tests_properties(xval PROPERTIES LABELS "unit")

# calib_quick: scripts/calibrate-testbed.sh --quick on the real testbed (8 points, ~1 min),
# then checks the records (tests/calib_quick.sh). Needs root: skips (77) otherwise.
add_test(NAME calib_quick
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/calib_quick.sh ${EV_SOURCE_DIR} ${CMAKE_BINARY_DIR}
          ${CMAKE_CURRENT_BINARY_DIR}/calib-quick)
set_tests_properties(calib_quick PROPERTIES LABELS "root;testbed;calib" SKIP_RETURN_CODE 77
                     TIMEOUT 180 RESOURCE_LOCK testbed_netns)

# crossval_cli: the `edgevirt-model crossval` CLI (usage, errors, --json/--csv/--out) on
# data/paper/runs.jsonl (label "unit").
add_test(NAME crossval_cli
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/crossval_cli.sh $<TARGET_FILE:edgevirt-model-cli>
          ${EV_DATA_DIR} ${CMAKE_CURRENT_BINARY_DIR}/crossval_cli.tmp)
set_tests_properties(crossval_cli PROPERTIES LABELS "unit")

# calib_goal: the cross-validation of the committed data/testbed calibration against the goal
# (RPS MAPE <= 1.2 x the repeats' scatter, CPU <= 2 pp); a figure that misses the goal is held to the achieved value
# documented in data/testbed/README.md, with the reason printed (label "unit"; no root needed).
add_test(NAME calib_goal
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/calib_goal.sh $<TARGET_FILE:edgevirt-model-cli>
          ${EV_DATA_DIR}/testbed)
set_tests_properties(calib_goal PROPERTIES LABELS "unit")
# the same goal on the calibration of the day before (data/testbed/2026-12-06/: two MTUs)
add_test(NAME calib_goal_2026_12_06
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/calib_goal.sh $<TARGET_FILE:edgevirt-model-cli>
          ${EV_DATA_DIR}/testbed/2026-12-06)
set_tests_properties(calib_goal_2026_12_06 PROPERTIES LABELS "unit")

# score_cli: `edgevirt-model score` and `inputs --derive-acks` on data/testbed's real runs
# (issue 13).
add_test(NAME score_cli
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/score_cli.sh $<TARGET_FILE:edgevirt-model-cli>
          ${EV_DATA_DIR} ${CMAKE_CURRENT_BINARY_DIR}/score_cli.tmp)
set_tests_properties(score_cli PROPERTIES LABELS "unit")

# rescale_cli: `edgevirt-model rescale` re-anchors the 2026-11-25 calibration with two sizes per
# platform measured on 2026-12-06 and is checked on the other records of that day (issue 13).
add_test(NAME rescale_cli
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/rescale_cli.sh $<TARGET_FILE:edgevirt-model-cli>
          ${EV_DATA_DIR} ${CMAKE_CURRENT_BINARY_DIR}/rescale_cli.tmp)
set_tests_properties(rescale_cli PROPERTIES LABELS "unit")
