# fuzz/targets.cmake - the fuzz targets: harness source, libraries, seed corpora.
# Included by fuzz/CMakeLists.txt (libFuzzer builds, EV_FUZZ=ON) and tests/harden.cmake (the
# replay tests of the default build). A target is only defined when the libraries it needs
# exist in this tree (parts land one by one). Seeds: files or folders (walked recursively),
# relative to the source tree; fuzz/seeds/<t>/ and fuzz/regressions/<t>/ are always added.
set(EV_FUZZ_DIR "${CMAKE_SOURCE_DIR}/fuzz")

set(EV_FUZZ_ALL_TARGETS record json procstat netdev model profile loadopts driver_settings
    testbed spec fc_reply load_output)

set(EV_FUZZ_LIBS_record ev_formats)
set(EV_FUZZ_SEEDS_record tests/fixtures/records tests/fixtures/data_ok data/paper/runs.jsonl)
set(EV_FUZZ_LIBS_json ev_formats)
set(EV_FUZZ_SEEDS_json tests/fixtures/records tests/fixtures/profiles data/profiles
    data/paper/model.json tests/fixtures/data_bad)
set(EV_FUZZ_LIBS_procstat ev_sys)
set(EV_FUZZ_SEEDS_procstat tests/fixtures/proc1/proc tests/fixtures/proc2/proc)
set(EV_FUZZ_LIBS_netdev ev_sys)
set(EV_FUZZ_SEEDS_netdev)
set(EV_FUZZ_LIBS_model edgevirt-model)
set(EV_FUZZ_SEEDS_model data/paper/model.json)
set(EV_FUZZ_LIBS_profile ev_advisor_core ev_advisor)
set(EV_FUZZ_SEEDS_profile data/profiles tests/fixtures/profiles)
set(EV_FUZZ_LIBS_loadopts ev_load)
set(EV_FUZZ_SEEDS_loadopts)
set(EV_FUZZ_LIBS_driver_settings ev_drivers)
set(EV_FUZZ_SEEDS_driver_settings tests/fixtures/drivers)
set(EV_FUZZ_LIBS_testbed ev_testbed)
set(EV_FUZZ_SEEDS_testbed)
set(EV_FUZZ_LIBS_spec ev_runner)
set(EV_FUZZ_SEEDS_spec data/specs tests/fixtures/specs)
set(EV_FUZZ_LIBS_fc_reply ev_drivers)
set(EV_FUZZ_SEEDS_fc_reply)
set(EV_FUZZ_LIBS_load_output ev_runner)
set(EV_FUZZ_SEEDS_load_output)

# EV_FUZZ_TARGETS: the targets whose libraries exist; EV_FUZZ_SEED_PATHS_<t>: absolute seed paths
set(EV_FUZZ_TARGETS "")
foreach(t ${EV_FUZZ_ALL_TARGETS})
  set(ok TRUE)
  foreach(lib ${EV_FUZZ_LIBS_${t}})
    if(NOT TARGET ${lib})
      set(ok FALSE)
    endif()
  endforeach()
  if(ok)
    list(APPEND EV_FUZZ_TARGETS ${t})
    set(EV_FUZZ_SEED_PATHS_${t} "")
    foreach(s ${EV_FUZZ_SEEDS_${t}} fuzz/seeds/${t} fuzz/regressions/${t})
      if(EXISTS "${CMAKE_SOURCE_DIR}/${s}")
        list(APPEND EV_FUZZ_SEED_PATHS_${t} "${CMAKE_SOURCE_DIR}/${s}")
      endif()
    endforeach()
  else()
    message(STATUS "fuzz: target ${t} left out (needs ${EV_FUZZ_LIBS_${t}}, not in this tree)")
  endif()
endforeach()
