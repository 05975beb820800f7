# Tests of libedgevirt-model and the edgevirt-model CLI (owner: model). Label "unit".
foreach(t test_model test_model_fit test_claims)
  add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
  target_link_libraries(${t} PRIVATE edgevirt-model)
endforeach()
target_compile_definitions(test_model_fit PRIVATE EV_DATA_DIR="${EV_DATA_DIR}")
add_test(NAME model COMMAND test_model)
add_test(NAME model_fit COMMAND test_model_fit)
add_test(NAME claims COMMAND test_claims)
# The CLI: usage errors, malformed inputs, predict --json shape, every data file loads, and
# `edgevirt-model fit data/paper/runs.jsonl` reproducing the embedded model.
add_test(NAME model_cli
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_model_cli.sh $<TARGET_FILE:edgevirt-model-cli>
          ${EV_DATA_DIR} ${CMAKE_CURRENT_BINARY_DIR}/model_cli.tmp $<TARGET_FILE:test_model_fit>)
set_tests_properties(model model_fit claims model_cli PROPERTIES LABELS "unit")

# Benchmark (a target, not a test): fit 500 synthetic runs, compare with a peer in the same run.
add_executable(bench_model_fit_prog EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/bench_model_fit.c)
target_link_libraries(bench_model_fit_prog PRIVATE edgevirt-model)
add_custom_target(bench_model_fit COMMAND bench_model_fit_prog VERBATIM)

# tests/test_data_files.c (formats) dispatches edgevirt.model/1 files to ev_model_parse.
target_link_libraries(test_data_files PRIVATE edgevirt-model)
