# Run by `cmake --install` (install(SCRIPT) in app/CMakeLists.txt): writes the
# polkit action for `pkexec cnmlab live helper` with exec.path set to where
# cnmlab is being installed, which is known only now (`--prefix`). DESTDIR
# (packaging) is left out of that path and put before the file's.
# In: POLICY_IN, BINDIR and ACTIONSDIR (relative to the prefix, or absolute).
foreach(var BINDIR ACTIONSDIR)
    if(IS_ABSOLUTE "${${var}}")
        set(${var}_FULL "${${var}}")
    else()
        set(${var}_FULL "${CMAKE_INSTALL_PREFIX}/${${var}}")
    endif()
endforeach()
set(CNMLAB_INSTALLED_CLI "${BINDIR_FULL}/cnmlab")
set(out "$ENV{DESTDIR}${ACTIONSDIR_FULL}/org.cnmlab.live.policy")
message(STATUS "Installing: ${out} (exec.path ${CNMLAB_INSTALLED_CLI})")
configure_file("${POLICY_IN}" "${out}" @ONLY)
