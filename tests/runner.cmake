# The experiment runner (measure/runner, docs/edgevirt-measure.md). Labels: unit, redis, vm;root.
set(EV_RUNNER_FIXTURES "${EV_TEST_DIR}/fixtures/specs")
add_executable(test_runner test_runner.c)
target_link_libraries(test_runner PRIVATE ev_runner)
add_test(NAME runner COMMAND test_runner ${EV_RUNNER_FIXTURES})
set_tests_properties(runner PROPERTIES LABELS "unit")
