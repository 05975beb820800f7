# Tests of the advisor part: plots (chart writer), profiles, distributions, the discrete-event
# simulator, the advisor library and the CLI. Label "unit" (default suite).
add_executable(test_plots test_plots.c)
target_link_libraries(test_plots PRIVATE ev_plots)
add_test(NAME plots COMMAND test_plots)
set_tests_properties(plots PROPERTIES LABELS "unit" SKIP_RETURN_CODE 77)
