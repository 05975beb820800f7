# Tests of the advisor part: plots (chart writer), profiles, distributions, the discrete-event
# simulator, the advisor library and the CLI. Label "unit" (default suite).
add_executable(test_plots test_plots.c)
target_link_libraries(test_plots PRIVATE ev_plots)
add_test(NAME plots COMMAND test_plots)
set_tests_properties(plots PROPERTIES LABELS "unit" SKIP_RETURN_CODE 77)
foreach(t des profile)
  add_executable(test_advisor_${t} test_advisor_${t}.c)
  target_link_libraries(test_advisor_${t} PRIVATE ev_advisor_core)
  add_test(NAME advisor_${t} COMMAND test_advisor_${t})
  set_tests_properties(advisor_${t} PROPERTIES LABELS "unit" SKIP_RETURN_CODE 77)
endforeach()
add_executable(test_advisor_load test_advisor_load.c)
target_link_libraries(test_advisor_load PRIVATE ev_advisor)
add_test(NAME advisor_load COMMAND test_advisor_load ${CMAKE_SOURCE_DIR})
set_tests_properties(advisor_load PROPERTIES LABELS "unit" SKIP_RETURN_CODE 77)
if(TARGET edgevirt-advisor)
  add_executable(test_advisor test_advisor.c)
  target_link_libraries(test_advisor PRIVATE ev_advisor)
  add_test(NAME advisor COMMAND test_advisor ${CMAKE_SOURCE_DIR})
  set_tests_properties(advisor PROPERTIES LABELS "unit" SKIP_RETURN_CODE 77)
  # the CLI: help, bad input (exit 2, file + field named), outputs, charts
  add_test(NAME advisor_cli COMMAND ${CMAKE_COMMAND}
           -DADVISOR=$<TARGET_FILE:edgevirt-advisor> -DSRC=${CMAKE_SOURCE_DIR}
           -DWORK=${CMAKE_CURRENT_BINARY_DIR}/advisor_cli
           -P ${CMAKE_CURRENT_SOURCE_DIR}/test_advisor_cli.cmake.in)
  set_tests_properties(advisor_cli PROPERTIES LABELS "unit")
endif()

# Numbers in model files (issue 20): costs out of range, non-finite, non-PSD covariances and
# requests that cost no CPU are exit 2 naming file and field; the accepted extremes print no
# nan/inf in any advisor or edgevirt-model output.
if(TARGET edgevirt-advisor AND TARGET edgevirt-model-cli)
  add_test(NAME model_ranges COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/model_ranges.sh
    $<TARGET_FILE:edgevirt-advisor> $<TARGET_FILE:edgevirt-model-cli> ${EV_DATA_DIR})
  set_tests_properties(model_ranges PROPERTIES LABELS "unit" SKIP_RETURN_CODE 77 TIMEOUT 120)
endif()
