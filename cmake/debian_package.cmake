# The Debian package, built from an existing build directory with
#   cpack -G DEB            (or: cmake --build build --target package)
# It installs under /usr, the configuration in /etc/crowdfeed as a conffile,
# creates the crowdfeed user and /var/lib/crowdfeed on installation
# (deploy/debian/postinst), and comes with a -dbgsym package holding the
# binary's debug symbols, split off with objcopy; the binary itself is
# stripped.

set(CROWDFEED_DEBIAN_RELEASE 1)
set(CROWDFEED_DEBIAN_VERSION "${PROJECT_VERSION}-${CROWDFEED_DEBIAN_RELEASE}")

# The package's changelog must describe this version.
file(STRINGS ${PROJECT_SOURCE_DIR}/deploy/debian/changelog _changelog_top LIMIT_COUNT 1)
if(NOT _changelog_top MATCHES "^crowdfeed \\(${CROWDFEED_DEBIAN_VERSION}\\) ")
  message(FATAL_ERROR "deploy/debian/changelog starts with \"${_changelog_top}\": "
                      "add an entry for version ${CROWDFEED_DEBIAN_VERSION}")
endif()

# Files that only the package ships: Debian's copyright file and changelog.
# EXCLUDE_FROM_ALL keeps them out of a plain `cmake --install`.
crowdfeed_gzip(${PROJECT_SOURCE_DIR}/deploy/debian/changelog ${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz)
install(FILES deploy/debian/copyright ${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT debian EXCLUDE_FROM_ALL)

# The configuration is a conffile: dpkg never overwrites an edited copy.
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/debian/conffiles
     CONTENT "${CROWDFEED_CONFIG_DIR}/crowdfeed.toml\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME crowdfeed)
set(CPACK_DEBIAN_PACKAGE_NAME crowdfeed)
set(CPACK_PACKAGE_VENDOR "crowdfeed maintainers")
set(CPACK_PACKAGE_CONTACT "crowdfeed maintainers <crowdfeed@example.org>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "threat-intelligence feeds from community votes")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"crowdfeed turns votes on domains, IP addresses and file hashes, cast on a
website or imported from CSV or JSON Lines files, into block and allow
lists: hosts files, adblock lists, RPZ zones, Unbound and dnsmasq
configuration, ipset and nftables sets, ClamAV signatures, CSV, JSON and
Zeek intel files. Whitelists keep well-known domains out, guards refuse a
publication that shrinks or grows too much, and the files can be uploaded
to WebDAV, S3, SFTP or local destinations.

The package runs the publication hourly from a systemd timer, as its own
user, on a read-only system; the timer is left for the administrator to
enable.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${CROWDFEED_DEBIAN_RELEASE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The libraries' packages, from dpkg-shlibdeps; the postinst's tools.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "systemd | systemd-standalone-sysusers | systemd-sysusers, systemd | systemd-standalone-tmpfiles | systemd-tmpfiles")
# The whitelist's public-suffix check reads Debian's list.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "publicsuffix")
# crowdfeed-dbgsym: the debug symbols under /usr/lib/debug/.build-id. Needs
# a build with -g (the default build type, RelWithDebInfo, has it); without
# CPACK_STRIP_FILES, which would strip them before they are split off.
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
# ... whose md5sums, modes and documentation cmake/debian_dbgsym.cmake repairs.
set(CPACK_POST_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/cmake/debian_dbgsym.cmake)

# Install with DESTDIR and the final prefix, so that the units name
# /usr/bin/crowdfeed and /etc stays /etc. The main component, then the
# Debian files.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_CMAKE_PROJECTS
    "${PROJECT_BINARY_DIR};${PROJECT_NAME};crowdfeed;/"
    "${PROJECT_BINARY_DIR};${PROJECT_NAME};debian;/")

set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm
    ${PROJECT_BINARY_DIR}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

include(CPack)
