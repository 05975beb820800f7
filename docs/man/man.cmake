# docs/man: the man pages, generated at build time from one source each:
#   section 1: help2man from the tool's own --help and --version, plus docs/man/TOOL.h2m
#              (NAME, EXAMPLES, SEE ALSO), so a page never drifts from its tool;
#   section 5: docs/man/md2man.awk from the format's section of docs/formats.md.
# Written to BUILD/man/man1 and man5 (target `man`, part of `all`), installed to share/man.
# Without help2man (scripts/deps.sh installs it) the section-1 pages are skipped with a
# message, and the man_pages test fails saying so.
find_program(EV_HELP2MAN help2man)
find_program(EV_AWK NAMES awk mawk gawk)
set(EV_MAN_DIR "${CMAKE_BINARY_DIR}/man")
set(EV_MAN_TOOLS edgevirt-advisor edgevirt-model edgevirt-measure edgevirt-load edgevirt-sample
                 edgevirt-testbed edgevirt-relay edgevirt-report)
set(EV_MAN_PAGES "")
string(TIMESTAMP EV_MAN_DATE "%Y-%m-%d" UTC)
if(DEFINED ENV{SOURCE_DATE_EPOCH})
  string(TIMESTAMP EV_MAN_DATE "%Y-%m-%d" UTC) # honours SOURCE_DATE_EPOCH (CMake >= 3.8)
endif()
if(EV_HELP2MAN)
  foreach(tool ${EV_MAN_TOOLS})
    set(tgt ${tool})
    if(tool STREQUAL "edgevirt-model")
      set(tgt edgevirt-model-cli)
    endif()
    if(TARGET ${tgt})
      set(out "${EV_MAN_DIR}/man1/${tool}.1")
      add_custom_command(OUTPUT "${out}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${EV_MAN_DIR}/man1"
        COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C ${EV_HELP2MAN} --no-info --no-discard-stderr
                --include "${CMAKE_CURRENT_LIST_DIR}/${tool}.h2m" --section 1
                --source "edgevirt ${EV_VERSION}" --version-string "${EV_VERSION}" --output "${out}" $<TARGET_FILE:${tgt}>
        DEPENDS ${tgt} "${CMAKE_CURRENT_LIST_DIR}/${tool}.h2m"
        COMMENT "man page ${tool}(1)" VERBATIM)
      list(APPEND EV_MAN_PAGES "${out}")
    endif()
  endforeach()
else()
  message(STATUS "help2man not found: no section-1 man pages (apt-get install help2man)")
endif()
# NAME|section title in docs/formats.md|description|see also
set(EV_MAN5
  "edgevirt-run|## Run record|run record format (edgevirt.run/1), one JSON line per measured point|edgevirt-measure(1), edgevirt-model(1), edgevirt-report(1)"
  "edgevirt-model|## Model file|cost model file format (edgevirt.model/1)|edgevirt-model(1), edgevirt-advisor(1)"
  "edgevirt-profile|## Workload profile|workload profile format (edgevirt.profile/1) of the advisor|edgevirt-advisor(1), edgevirt-spec(5)"
  "edgevirt-spec|## Experiment spec|experiment spec format (edgevirt.spec/1) of edgevirt-measure|edgevirt-measure(1), edgevirt-run(5)")
foreach(entry ${EV_MAN5})
  string(REPLACE "|" ";" f "${entry}")
  list(GET f 0 name)
  list(GET f 1 start)
  list(GET f 2 desc)
  list(GET f 3 see)
  set(out "${EV_MAN_DIR}/man5/${name}.5")
  add_custom_command(OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${EV_MAN_DIR}/man5"
    COMMAND ${EV_AWK} -v "start=${start}" -v "name=${name}" -v section=5 -v "desc=${desc}"
            -v "seealso=${see}" -v "date=${EV_MAN_DATE}" -v "version=${EV_VERSION}"
            -f "${CMAKE_CURRENT_LIST_DIR}/md2man.awk" "${CMAKE_SOURCE_DIR}/docs/formats.md"
            > "${out}"
    DEPENDS "${CMAKE_CURRENT_LIST_DIR}/md2man.awk" "${CMAKE_SOURCE_DIR}/docs/formats.md"
    COMMENT "man page ${name}(5)" VERBATIM)
  list(APPEND EV_MAN_PAGES "${out}")
endforeach()
add_custom_target(man ALL DEPENDS ${EV_MAN_PAGES})
install(DIRECTORY "${EV_MAN_DIR}/" DESTINATION ${CMAKE_INSTALL_MANDIR} OPTIONAL
        FILES_MATCHING PATTERN "*.1" PATTERN "*.5")
