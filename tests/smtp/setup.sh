#!/usr/bin/env bash
# Creates tests/smtp/.venv with aiosmtpd, the real SMTP server the black-box tests send to.
# Idempotent; `.ci/run` calls it. Tests find the interpreter at tests/smtp/.venv/bin/python
# (or MH_TEST_SMTP_PYTHON).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import aiosmtpd' 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check 'aiosmtpd==1.4.6'
fi
.venv/bin/python -c 'import aiosmtpd; print("aiosmtpd", aiosmtpd.__version__)'
