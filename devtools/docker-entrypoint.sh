#!/bin/sh
# The dashboard container's first-start step, then the command (CMD) itself.
#
# Creates the ledger's tables (DATABASE_URL) and, when there is no dashboard user at all, the
# first owner: its random password is printed once, to the container log. Never seeds the demo
# portfolio (`make run` does that on a laptop). To keep the password out of logs, create the
# owner yourself first: echo "$PW" | python -m core dashboard-user add EMAIL --role owner
# --password-stdin; this step then does nothing.
set -eu
python -m core dashboard-user ensure-owner
exec "$@"
