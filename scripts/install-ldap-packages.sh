#!/usr/bin/env bash
# Installs the directory servers the LDAP integration tests start themselves:
# OpenLDAP (slapd) and a Samba AD DC. Idempotent: does nothing when present.
set -euo pipefail

# openssl: test/support/samba-ad.ts makes a CA and a certificate for each throw-away DC.
packages=(slapd ldap-utils samba samba-ad-dc samba-ad-provision winbind krb5-user openssl)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "LDAP test packages already installed"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

echo "Installing: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"

# The packages start system daemons on 389/636 on some images; the tests run
# their own private instances, so stop the system ones when they came up.
for svc in slapd samba-ad-dc smbd nmbd winbind; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    "${sudo_cmd[@]}" systemctl stop "$svc" || true
  fi
done
