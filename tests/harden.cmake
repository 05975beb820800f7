# Hardening tests (owner: harden). docs/bad-input.md, fuzz/README.md.
#  - harden_replay_<t> (unit): the fuzz harness fuzz/fuzz_<t>.c run WITHOUT libFuzzer over its
#    seed corpora and every regression input under fuzz/regressions/<t>/ (fuzz/replay_main.c);
#  - harden_no_shell (unit): no system()/popen()/shell/mktemp/tmpnam in measure/ model/ advisor/
#    plots/ common/ fuzz/ (tests/test_harden_noshell.sh; allow-list tests/harden_noshell.allow);
#  - fault tests (tests/fault_*.sh).
include(${CMAKE_SOURCE_DIR}/fuzz/targets.cmake)
foreach(t ${EV_FUZZ_TARGETS})
  add_executable(fuzz_replay_${t} ${EV_FUZZ_DIR}/fuzz_${t}.c ${EV_FUZZ_DIR}/fuzz_util.c
                                  ${EV_FUZZ_DIR}/replay_main.c)
  target_include_directories(fuzz_replay_${t} PRIVATE ${EV_FUZZ_DIR})
  target_link_libraries(fuzz_replay_${t} PRIVATE ${EV_FUZZ_LIBS_${t}} ${MATH_LIB})
  add_test(NAME harden_replay_${t} COMMAND fuzz_replay_${t} ${EV_FUZZ_SEED_PATHS_${t}})
  set_tests_properties(harden_replay_${t} PROPERTIES LABELS "unit" TIMEOUT 300
    PASS_REGULAR_EXPRESSION "replayed [1-9][0-9]* inputs")
endforeach()

add_test(NAME harden_no_shell COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_harden_noshell.sh
                                 ${CMAKE_SOURCE_DIR})
set_tests_properties(harden_no_shell PROPERTIES LABELS "unit")

# Sanitizer builds: every test of this folder gets ASAN_OPTIONS/UBSAN_OPTIONS (also inherited by
# the children the tests start), so `ctest` in build-asan/ behaves as scripts/test.sh does.
# Deferred to the end of the folder so the parts included after this file are covered too.
if(EV_SANITIZE)
  function(ev_harden_sanitizer_env)
    get_property(all DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} PROPERTY TESTS)
    foreach(t ${all})
      set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
        "ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:print_stacktrace=1"
        "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1")
    endforeach()
  endfunction()
  cmake_language(DEFER CALL ev_harden_sanitizer_env)
endif()

# GCC's -fsanitize=undefined leaves out float-cast-overflow (a double converted to an integer
# type that cannot hold it: undefined behaviour, the first bug fuzz_spec found). The sanitizer
# build adds it to the project's libraries here, so the replay tests (and every other test)
# catch it under GCC too.
if(EV_SANITIZE)
  foreach(lib ev_common ev_formats ev_sys edgevirt-model ev_advisor ev_advisor_core ev_load
              ev_drivers ev_testbed ev_runner ev_plots)
    if(TARGET ${lib})
      target_compile_options(${lib} PRIVATE -fsanitize=float-cast-overflow
                                             -fno-sanitize-recover=float-cast-overflow)
    endif()
  endforeach()
endif()

# Fault tests (docs/bad-input.md, "Faults"). What the owners already test is not repeated:
# load_redis (Redis killed mid-load, connection refused), runner_faults (never ready,
# Firecracker 400, crash mid-point), runner_resume (SIGTERM, SIGKILL, cut-off last record),
# driver_firecracker (400 fault_message, never ready).
if(TARGET edgevirt-measure AND TARGET edgevirt-load)
  add_test(NAME fault_runner_sigint COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fault_runner_sigint.sh
    $<TARGET_FILE:edgevirt-measure> $<TARGET_FILE:edgevirt-load>)
  set_tests_properties(fault_runner_sigint PROPERTIES LABELS "unit;redis" SKIP_RETURN_CODE 77
    TIMEOUT 180)
endif()
if(TARGET edgevirt-measure AND TARGET edgevirt-load)
  # results file unwritable: size limit mid-record (any user); disk full and read-only (root)
  add_test(NAME fault_results_write COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fault_results_write.sh
    $<TARGET_FILE:edgevirt-measure> $<TARGET_FILE:edgevirt-load>)
  set_tests_properties(fault_results_write PROPERTIES LABELS "unit;redis" SKIP_RETURN_CODE 77
    TIMEOUT 180)
  add_test(NAME fault_results_write_root COMMAND sh
    ${CMAKE_CURRENT_SOURCE_DIR}/fault_results_write.sh --root
    $<TARGET_FILE:edgevirt-measure> $<TARGET_FILE:edgevirt-load>)
  set_tests_properties(fault_results_write_root PROPERTIES LABELS "root;redis"
    SKIP_RETURN_CODE 77 TIMEOUT 180)
endif()
# stdout on /dev/full (writes fail with ENOSPC): every tool exits 1 with a message
if(TARGET edgevirt-measure AND TARGET edgevirt-load AND TARGET edgevirt-advisor
   AND TARGET edgevirt-report AND TARGET edgevirt-model-cli AND TARGET edgevirt-sample)
  add_test(NAME fault_stdout_full COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fault_stdout_full.sh
    ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(fault_stdout_full PROPERTIES LABELS "unit;redis" SKIP_RETURN_CODE 77
    TIMEOUT 120)
endif()
# every kind of bad input, per tool and format: expected exit status and a message naming the
# file or option (the tables of docs/bad-input.md come from its --markdown output)
if(TARGET edgevirt-measure AND TARGET edgevirt-load AND TARGET edgevirt-advisor
   AND TARGET edgevirt-report AND TARGET edgevirt-model-cli AND TARGET edgevirt-sample)
  add_test(NAME harden_bad_input COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_harden_badinput.sh
    ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(harden_bad_input PROPERTIES LABELS "unit" TIMEOUT 120)
endif()
