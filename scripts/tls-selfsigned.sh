#!/bin/sh
# Makes a self-signed certificate and key for the proxy's TLS listener
# when the certificate does not exist yet (an existing pair is kept).
#
#   scripts/tls-selfsigned.sh CERT KEY [NAME]
#
# NAME (the certificate's subject and alternative name) defaults to
# 127.0.0.1. A real deployment puts its own certificate there.
set -eu
cert=${1:?usage: tls-selfsigned.sh CERT KEY [NAME]}
key=${2:?usage: tls-selfsigned.sh CERT KEY [NAME]}
name=${3:-127.0.0.1}
[ -s "$cert" ] && [ -s "$key" ] && exit 0
mkdir -p "$(dirname "$cert")" "$(dirname "$key")"
case $name in
*[!0-9.]*) san="DNS:$name" ;;
*) san="IP:$name" ;;
esac
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
	-subj "/CN=$name" -addext "subjectAltName=$san" \
	-keyout "$key.new" -out "$cert.new" 2>/dev/null
mv "$key.new" "$key"
chmod 644 "$cert.new"
mv "$cert.new" "$cert"
echo "made a self-signed TLS certificate $cert for $name"
