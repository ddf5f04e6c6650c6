#!/bin/sh
# The C unit tests of the library (tests/unit.c), which print their own TAP.
exec "$(dirname "$0")/unit"
