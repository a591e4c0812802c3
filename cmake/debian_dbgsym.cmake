# CPack post-build script (CPACK_POST_BUILD_SCRIPTS): repairs the -dbgsym
# package that CMake 3.25's DEB generator makes. Its md5sums names the files
# by their paths in the build tree instead of in the package, the .debug
# file is executable, and it lacks the copyright and changelog every Debian
# package needs. It is rebuilt as debhelper would make it: debug sections
# compressed (a third of the size), mode 0644, md5sums of the package's own
# paths, the Installed-Size that follows, a Source: field, and
# /usr/share/doc/crowdfeed-dbgsym a link to the main package's folder (the
# dbgsym package depends on that exact version). gzip, as CPack's packages:
# xz takes ten times as long and gains nothing on compressed sections.
find_program(OBJCOPY_EXECUTABLE objcopy REQUIRED)
foreach(package IN LISTS CPACK_PACKAGE_FILES)
  if(NOT package MATCHES "-dbgsym_[^/]*\\.ddeb$")
    continue()
  endif()
  set(root "${CPACK_TOPLEVEL_DIRECTORY}/dbgsym-fixup")
  file(REMOVE_RECURSE "${root}")
  execute_process(COMMAND dpkg-deb --raw-extract "${package}" "${root}" COMMAND_ERROR_IS_FATAL ANY)

  file(MAKE_DIRECTORY "${root}/usr/share/doc")
  file(CREATE_LINK "${CPACK_DEBIAN_PACKAGE_NAME}" "${root}/usr/share/doc/${CPACK_DEBIAN_PACKAGE_NAME}-dbgsym" SYMBOLIC)

  # Installed-Size as dpkg-gencontrol counts it: each file's size in KiB,
  # rounded up, and 1 for each folder and link.
  file(GLOB_RECURSE entries LIST_DIRECTORIES true RELATIVE "${root}" "${root}/usr" "${root}/usr/*")
  list(SORT entries)
  set(installed_size 0)
  set(md5sums "")
  foreach(path IN LISTS entries)
    if(IS_SYMLINK "${root}/${path}" OR IS_DIRECTORY "${root}/${path}")
      math(EXPR installed_size "${installed_size} + 1")
      continue()
    endif()
    execute_process(COMMAND ${OBJCOPY_EXECUTABLE} --compress-debug-sections "${root}/${path}" COMMAND_ERROR_IS_FATAL ANY)
    file(CHMOD "${root}/${path}" FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    file(MD5 "${root}/${path}" sum)
    string(APPEND md5sums "${sum}  ${path}\n")
    file(SIZE "${root}/${path}" size)
    math(EXPR installed_size "${installed_size} + (${size} + 1023) / 1024")
  endforeach()
  file(WRITE "${root}/DEBIAN/md5sums" "${md5sums}")

  file(READ "${root}/DEBIAN/control" control)
  string(REGEX REPLACE "\nInstalled-Size: [0-9]+" "\nInstalled-Size: ${installed_size}" control "${control}")
  if(NOT control MATCHES "\nSource: ")
    string(REGEX REPLACE "(^|\n)(Package: [^\n]*\n)" "\\1\\2Source: ${CPACK_DEBIAN_PACKAGE_NAME}\n" control "${control}")
  endif()
  file(WRITE "${root}/DEBIAN/control" "${control}")

  execute_process(COMMAND dpkg-deb -Zgzip --root-owner-group --build "${root}" "${package}"
                  OUTPUT_QUIET COMMAND_ERROR_IS_FATAL ANY)
  file(REMOVE_RECURSE "${root}")
endforeach()
