# Tests of edgevirt-report (plots/report/). Owner: report. All label "unit".
# plots/CMakeLists.txt adds plots/report; should a tree lack that line, build it from here.
if(NOT TARGET ev_report AND EXISTS "${CMAKE_SOURCE_DIR}/plots/report/CMakeLists.txt")
  add_subdirectory("${CMAKE_SOURCE_DIR}/plots/report" "${CMAKE_BINARY_DIR}/plots/report")
endif()

if(TARGET ev_report)
  set(EV_REPORT_FIX "${EV_TEST_DIR}/fixtures/report")
  foreach(t stats compare plot)
    add_executable(test_report_${t} ${EV_TEST_DIR}/test_report_${t}.c)
    target_link_libraries(test_report_${t} PRIVATE ev_report)
    target_include_directories(test_report_${t} PRIVATE ${EV_TEST_DIR}
                               ${CMAKE_SOURCE_DIR}/plots/report)
    target_compile_definitions(test_report_${t} PRIVATE EV_FIXTURES="${EV_REPORT_FIX}")
    add_test(NAME report_${t} COMMAND test_report_${t})
    set_tests_properties(report_${t} PROPERTIES LABELS "unit" SKIP_RETURN_CODE 77)
  endforeach()

  # The CLI: exit status and messages (tests/fixtures/report/run_cli.cmake runs one command
  # and checks its exit status and a regular expression on stdout+stderr).
  set(EV_REPORT_BIN $<TARGET_FILE:edgevirt-report>)
  function(ev_report_cli name expect_rc regex)
    add_test(NAME report_cli_${name}
             COMMAND ${CMAKE_COMMAND} -DBIN=${EV_REPORT_BIN} -DRC=${expect_rc} "-DREGEX=${regex}"
                     "-DARGS=${ARGN}" -DWORKDIR=${CMAKE_CURRENT_BINARY_DIR}/report_cli_${name}
                     -P ${EV_REPORT_FIX}/run_cli.cmake)
    set_tests_properties(report_cli_${name} PROPERTIES LABELS "unit")
  endfunction()
  set(F ${EV_REPORT_FIX})
  ev_report_cli(help 0 "Usage: edgevirt-report compare" --help)
  ev_report_cli(self 0 "0 significant changes, 0 regressions"
                compare ${F}/base.jsonl ${F}/base.jsonl --fail-on-regression)
  ev_report_cli(scaled 0 "12 significant changes, 12 regressions"
                compare ${F}/base.jsonl ${F}/scaled.jsonl)
  ev_report_cli(scaled_gate 1 "REGRESSION"
                compare ${F}/base.jsonl ${F}/scaled.jsonl --fail-on-regression)
  ev_report_cli(json 0 "\"p\":[ \t]*0.66666666666666"
                compare --json ${F}/two_a.jsonl ${F}/two_b.jsonl)
  ev_report_cli(csv 0 "^platform,op,value_size_bytes,"
                compare --csv ${F}/two_a.jsonl ${F}/two_b.jsonl)
  ev_report_cli(bad_field 2 "bad_field.jsonl:3: workload.value_size"
                compare ${F}/bad_field.jsonl ${F}/base.jsonl)
  ev_report_cli(bad_keysize 2 "keysize_all.jsonl:1: workload.key_size"
                compare ${F}/base.jsonl ${F}/keysize_all.jsonl)
  ev_report_cli(disjoint 2 "no point in common"
                compare ${F}/base.jsonl ${F}/disjoint.jsonl)
  ev_report_cli(missing 2 "nonexistent.jsonl"
                compare ${F}/base.jsonl ${F}/nonexistent.jsonl)
  ev_report_cli(usage 2 "exactly two files" compare ${F}/base.jsonl)
  ev_report_cli(badopt 2 "--alpha" compare --alpha 2 ${F}/base.jsonl ${F}/base.jsonl)
  ev_report_cli(plot_bad 2 "bad_field.jsonl:3: workload.value_size"
                plot ${F}/bad_field.jsonl --out plot_bad --no-render)
endif()

# Measured mixes and drift anchors in edgevirt-report plot (issue 13), on real loopback runs.
if(TARGET edgevirt-report)
  add_test(NAME report_mix_drift
    COMMAND sh ${EV_TEST_DIR}/report_mix_drift.sh $<TARGET_FILE:edgevirt-report>
            ${EV_TEST_DIR}/fixtures/report ${EV_DATA_DIR} ${CMAKE_CURRENT_BINARY_DIR}/report_mix_drift.tmp)
  set_tests_properties(report_mix_drift PROPERTIES LABELS "unit")
endif()
