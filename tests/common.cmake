add_executable(test_common test_common.c)
target_link_libraries(test_common PRIVATE ev_common)
add_test(NAME common COMMAND test_common)
set_tests_properties(common PROPERTIES LABELS "unit")
