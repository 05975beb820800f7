# measure/testbed: parsers (unit), the relay against a real redis-server (redis), the CLI's
# usage and errors (unit), and the namespace testbed itself (root;testbed: skips without root).
add_executable(test_testbed test_testbed.c)
target_link_libraries(test_testbed PRIVATE ev_testbed)
add_test(NAME testbed_parse COMMAND test_testbed)
set_tests_properties(testbed_parse PROPERTIES LABELS "unit")

find_package(Threads REQUIRED)
add_executable(test_testbed_relay test_testbed_relay.c)
target_link_libraries(test_testbed_relay PRIVATE ev_testbed PkgConfig::HIREDIS Threads::Threads)
add_test(NAME testbed_relay COMMAND test_testbed_relay)
set_tests_properties(testbed_relay PROPERTIES LABELS "redis" SKIP_RETURN_CODE 77 TIMEOUT 60)

add_test(NAME testbed_cli
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_testbed_cli.sh
                 $<TARGET_FILE:edgevirt-testbed> $<TARGET_FILE:edgevirt-relay>)
set_tests_properties(testbed_cli PROPERTIES LABELS "unit" TIMEOUT 30)

add_test(NAME testbed_smoke
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_testbed_smoke.sh
                 $<TARGET_FILE:edgevirt-testbed>)
set_tests_properties(testbed_smoke PROPERTIES LABELS "root;testbed" SKIP_RETURN_CODE 77
                     TIMEOUT 90 RESOURCE_LOCK testbed_netns)

add_test(NAME testbed_crash
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_testbed_crash.sh
                 $<TARGET_FILE:edgevirt-testbed>)
set_tests_properties(testbed_crash PROPERTIES LABELS "root;testbed" SKIP_RETURN_CODE 77
                     TIMEOUT 60 RESOURCE_LOCK testbed_netns)

add_test(NAME testbed_netns_quota
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_testbed_netns_quota.sh
                 $<TARGET_FILE:edgevirt-testbed> $<TARGET_FILE:edgevirt-relay>)
set_tests_properties(testbed_netns_quota PROPERTIES LABELS "root;testbed" SKIP_RETURN_CODE 77
                     TIMEOUT 90 RESOURCE_LOCK testbed_netns)
