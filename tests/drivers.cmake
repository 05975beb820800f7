# Platform drivers (measure/drivers/, docs/drivers.md). Labels: unit, redis, root, vm.
find_package(Threads REQUIRED)
set(EV_DRV_FIXTURES "${EV_TEST_DIR}/fixtures/drivers")

# A FAKE Firecracker API server that checks requests against the real swagger spec.
add_executable(fake_firecracker fake_firecracker.c)
target_compile_definitions(fake_firecracker PRIVATE
  EV_FAKE_FC_SPEC="${EV_TEST_DIR}/fixtures/firecracker-api.json")
target_link_libraries(fake_firecracker PRIVATE PkgConfig::CJSON Threads::Threads ${MATH_LIB})

foreach(t driver_settings driver_plan driver_firecracker driver_native driver_qemu_vhost driver_netns vm_qemu)
  add_executable(test_${t} test_${t}.c)
  target_link_libraries(test_${t} PRIVATE ev_drivers ev_common PkgConfig::HIREDIS)
endforeach()
target_link_libraries(test_driver_firecracker PRIVATE PkgConfig::CURL PkgConfig::CJSON)
# the VM test also checks the measurement core's per-thread accounting when it is in the tree
if(TARGET ev_sys)
  target_link_libraries(test_vm_qemu PRIVATE ev_sys)
  target_compile_definitions(test_vm_qemu PRIVATE EV_HAVE_SYS)
endif()

add_test(NAME driver_settings COMMAND test_driver_settings)
add_test(NAME driver_plan COMMAND test_driver_plan ${EV_DRV_FIXTURES})
add_test(NAME driver_firecracker COMMAND test_driver_firecracker $<TARGET_FILE:fake_firecracker>)
add_test(NAME driver_native COMMAND test_driver_native)
add_test(NAME driver_qemu_vhost COMMAND test_driver_qemu_vhost)
add_test(NAME driver_netns COMMAND test_driver_netns)
add_test(NAME vm_qemu COMMAND sh ${EV_TEST_DIR}/vm_qemu.sh
  ${CMAKE_SOURCE_DIR}/scripts/build-guest.sh ${CMAKE_BINARY_DIR}/guest $<TARGET_FILE:test_vm_qemu>)
set_tests_properties(driver_settings driver_plan PROPERTIES LABELS "unit")
set_tests_properties(driver_firecracker driver_native PROPERTIES LABELS "unit;redis" TIMEOUT 60)
set_tests_properties(driver_qemu_vhost driver_netns PROPERTIES LABELS "root" SKIP_RETURN_CODE 77 TIMEOUT 60)
set_tests_properties(vm_qemu PROPERTIES LABELS "vm;root" SKIP_RETURN_CODE 77 TIMEOUT 150)
