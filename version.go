package magekit

// Version is magekit's release, as CHANGELOG.md lists it: the library's
// and the emulator's (which prints it with -version). It follows semantic
// versioning; the module's tags are "v" + Version.
const Version = "0.1.0"
