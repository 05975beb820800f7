# measure/load (edgevirt-load): unit tests and tests against a real redis-server.
add_executable(test_load_hist test_load_hist.c)
target_link_libraries(test_load_hist PRIVATE ev_load ${MATH_LIB})
add_test(NAME load_hist COMMAND test_load_hist)
add_executable(test_load_opts test_load_opts.c)
target_link_libraries(test_load_opts PRIVATE ev_load)
add_test(NAME load_opts COMMAND test_load_opts)
add_executable(test_load_record test_load_record.c)
target_link_libraries(test_load_record PRIVATE ev_load)
add_test(NAME load_record COMMAND test_load_record)
set_tests_properties(load_hist load_opts load_record PROPERTIES LABELS "unit")

add_test(NAME load_redis COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/load_redis.sh $<TARGET_FILE:edgevirt-load>)
set_tests_properties(load_redis PROPERTIES LABELS "redis" SKIP_RETURN_CODE 77 TIMEOUT 120)
