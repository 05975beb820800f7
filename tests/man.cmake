# Man pages (issue 20): a page per tool (section 1) and per format (section 5), rendered
# without warnings. See docs/man/man.cmake.
add_test(NAME man_pages COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/man_pages.sh ${CMAKE_BINARY_DIR}/man)
set_tests_properties(man_pages PROPERTIES LABELS "unit" TIMEOUT 60)

# A tested install (issue 20): cmake --install to a temporary prefix; the installed advisor on
# an installed profile, man -M finds the pages, the installed edgevirt-measure finds the
# installed edgevirt-load without --load (loopback native spec, real redis-server).
add_test(NAME install COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/install.sh ${CMAKE_BINARY_DIR})
set_tests_properties(install PROPERTIES LABELS "unit;redis" SKIP_RETURN_CODE 77 TIMEOUT 180)
