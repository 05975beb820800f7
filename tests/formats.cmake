# Tests of the data formats (owner: formats). Label "unit".
add_executable(test_record ${CMAKE_CURRENT_LIST_DIR}/test_record.c)
target_link_libraries(test_record PRIVATE ev_formats)
target_compile_definitions(test_record PRIVATE
  EV_FIXTURE_DIR="${CMAKE_CURRENT_LIST_DIR}/fixtures/records")
add_test(NAME record COMMAND test_record)
set_tests_properties(record PROPERTIES LABELS "unit")

# Every file under data/ loads (run records strictly; other JSON files by their "schema").
add_executable(test_data_files ${CMAKE_CURRENT_LIST_DIR}/test_data_files.c)
target_link_libraries(test_data_files PRIVATE ev_formats)
if(TARGET ev_advisor)  # the profile loader (advisor part)
  target_link_libraries(test_data_files PRIVATE ev_advisor)
  target_compile_definitions(test_data_files PRIVATE EV_HAVE_PROFILE)
endif()
add_test(NAME data_files COMMAND test_data_files "${EV_DATA_DIR}")
set_tests_properties(data_files PROPERTIES LABELS "unit")

# The walker itself: a valid folder passes, a folder with a bad line and an unknown schema fails.
add_test(NAME data_files_fixture_ok COMMAND test_data_files "${CMAKE_CURRENT_LIST_DIR}/fixtures/data_ok")
add_test(NAME data_files_fixture_bad COMMAND test_data_files "${CMAKE_CURRENT_LIST_DIR}/fixtures/data_bad")
set_tests_properties(data_files_fixture_ok data_files_fixture_bad PROPERTIES LABELS "unit")
# must report both bad files (a crash or a pass would not print this line)
set_tests_properties(data_files_fixture_bad PROPERTIES
  PASS_REGULAR_EXPRESSION "2 files checked under [^\n]*data_bad, 2 bad")
