# The experiment runner (measure/runner, docs/edgevirt-measure.md). Labels: unit, redis, vm;root.
set(EV_RUNNER_FIXTURES "${EV_TEST_DIR}/fixtures/specs")
add_executable(test_runner test_runner.c)
target_link_libraries(test_runner PRIVATE ev_runner)
add_test(NAME runner COMMAND test_runner ${EV_RUNNER_FIXTURES})
set_tests_properties(runner PROPERTIES LABELS "unit")

# The CLI: dry-run golden plans of every data/specs/*.json (one per driver), --dry-run starts
# nothing, resume marks in the plan, exit codes. EV_UPDATE_GOLDEN=1 rewrites the golden files.
add_test(NAME runner_cli COMMAND sh ${EV_TEST_DIR}/runner_cli.sh $<TARGET_FILE:edgevirt-measure>
  ${CMAKE_SOURCE_DIR}/data/specs ${EV_RUNNER_FIXTURES})
set_tests_properties(runner_cli PROPERTIES LABELS "unit" TIMEOUT 60)

# A full run against the native platform on loopback (real redis-server), then resume = no-op.
add_test(NAME runner_native COMMAND sh ${EV_TEST_DIR}/runner_native.sh
  $<TARGET_FILE:edgevirt-measure> $<TARGET_FILE:edgevirt-load>)
set_tests_properties(runner_native PROPERTIES LABELS "unit;redis" SKIP_RETURN_CODE 77 TIMEOUT 120)

# Driver faults recorded as failed points while the sweep goes on: binary missing, never ready,
# Firecracker API 400 and a crash mid-point (FAKE Firecracker from tests/fake_firecracker.c),
# a shell platform crashing mid-point; a real point through the fake and a native one are ok.
add_test(NAME runner_faults COMMAND sh ${EV_TEST_DIR}/runner_faults.sh
  $<TARGET_FILE:edgevirt-measure> $<TARGET_FILE:edgevirt-load> $<TARGET_FILE:fake_firecracker>)
set_tests_properties(runner_faults PROPERTIES LABELS "unit;redis" SKIP_RETURN_CODE 77 TIMEOUT 120)

# SIGTERM stops cleanly; SIGKILL mid-sweep + a cut-off last record; the rerun loses and
# duplicates no point.
add_test(NAME runner_resume COMMAND sh ${EV_TEST_DIR}/runner_resume.sh
  $<TARGET_FILE:edgevirt-measure> $<TARGET_FILE:edgevirt-load>)
set_tests_properties(runner_resume PROPERTIES LABELS "unit;redis" SKIP_RETURN_CODE 77 TIMEOUT 120)

# The real VM: edgevirt-measure run on the qemu linuxvm platform (TCG guest of
# scripts/build-guest.sh) in a namespace + tap the test creates; RPS > 0 and the vCPU thread's
# CPU > 0 labelled "tcg". Own guest folder (no race with vm_qemu under ctest -j). Needs root and /dev/net/tun (skips with 77 and a message otherwise).
add_test(NAME runner_vm COMMAND sh ${EV_TEST_DIR}/runner_vm.sh
  ${CMAKE_SOURCE_DIR}/scripts/build-guest.sh ${CMAKE_BINARY_DIR}/guest-runner
  $<TARGET_FILE:edgevirt-measure> $<TARGET_FILE:edgevirt-load>)
set_tests_properties(runner_vm PROPERTIES LABELS "vm;root" SKIP_RETURN_CODE 77 TIMEOUT 120)

# tests/test_data_files.c (formats) dispatches edgevirt.spec/1 files (data/specs/) to ev_spec_parse.
target_link_libraries(test_data_files PRIVATE ev_runner)
target_compile_definitions(test_data_files PRIVATE EV_HAVE_SPEC)

# The real unikernel: edgevirt-measure run on the qemu unikraft-virtio platform (the Redis
# unikernel of scripts/build-unikraft.sh under TCG) in a namespace + tap the test creates; skips
# with a message where the image is not built (build-unikraft/ in the source tree, or
# EV_UNIKRAFT_IMAGE). See docs/unikraft.md.
add_test(NAME runner_unikraft COMMAND sh ${EV_TEST_DIR}/runner_unikraft.sh
  ${CMAKE_SOURCE_DIR}/build-unikraft/redis_qemu-x86_64
  $<TARGET_FILE:edgevirt-measure> $<TARGET_FILE:edgevirt-load>)
set_tests_properties(runner_unikraft PROPERTIES LABELS "vm;root" SKIP_RETURN_CODE 77 TIMEOUT 300)
