# Tests of edgevirt-report (plots/report/). Owner: report.
# plots/CMakeLists.txt adds plots/report; until it exists in a tree, build it from here.
if(NOT TARGET ev_report AND EXISTS "${CMAKE_SOURCE_DIR}/plots/report/CMakeLists.txt")
  add_subdirectory("${CMAKE_SOURCE_DIR}/plots/report" "${CMAKE_BINARY_DIR}/plots/report")
endif()

if(TARGET ev_report)
  add_executable(test_report_stats ${EV_TEST_DIR}/test_report_stats.c)
  target_link_libraries(test_report_stats PRIVATE ev_report)
  target_include_directories(test_report_stats PRIVATE ${EV_TEST_DIR})
  add_test(NAME report_stats COMMAND test_report_stats)
  set_tests_properties(report_stats PROPERTIES LABELS "unit" SKIP_RETURN_CODE 77)
endif()
