# Run by `cmake --install` (and by CPack) for each deploy/*.in template:
# fills in the installed paths from the prefix of this install, which may
# differ from the configure-time one (cmake --install --prefix, CPack's
# /usr), and installs the result. Set before it runs:
#   CROWDFEED_TEMPLATE       the template's full path
#   CROWDFEED_TEMPLATE_OUT   where to write the filled-in file (build tree)
#   CROWDFEED_TEMPLATE_DEST  its install folder (relative: to the prefix)
#   CROWDFEED_INSTALL_BINDIR, _DOCDIR  CMAKE_INSTALL_BINDIR and _DOCDIR
#   CROWDFEED_CONFIG_DIR     where the configuration is
#   CROWDFEED_MAN_PAGES      the Documentation= entries of the installed man pages
foreach(kind BINDIR DOCDIR)
  if(IS_ABSOLUTE "${CROWDFEED_INSTALL_${kind}}")
    set(CROWDFEED_${kind} "${CROWDFEED_INSTALL_${kind}}")
  else()
    set(CROWDFEED_${kind} "${CMAKE_INSTALL_PREFIX}/${CROWDFEED_INSTALL_${kind}}")
  endif()
endforeach()
string(JOIN " " CROWDFEED_DOCUMENTATION ${CROWDFEED_MAN_PAGES} "file://${CROWDFEED_DOCDIR}/README.md")
configure_file("${CROWDFEED_TEMPLATE}" "${CROWDFEED_TEMPLATE_OUT}" @ONLY)
if(NOT IS_ABSOLUTE "${CROWDFEED_TEMPLATE_DEST}")
  set(CROWDFEED_TEMPLATE_DEST "${CMAKE_INSTALL_PREFIX}/${CROWDFEED_TEMPLATE_DEST}")
endif()
file(INSTALL DESTINATION "${CROWDFEED_TEMPLATE_DEST}" TYPE FILE FILES "${CROWDFEED_TEMPLATE_OUT}")
