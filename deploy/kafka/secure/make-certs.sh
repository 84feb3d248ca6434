#!/usr/bin/env bash
# Makes the TLS material of a secured CMS Kafka cluster with the JDK's keytool only:
#   a CA (ca.p12, keep it offline), a truststore with the CA certificate (truststore.p12, for every node and
#   every CMS service) and one keystore per node (NAME.p12: a key and a certificate for CN=NAME with the
#   node's address as subject alternative name, signed by the CA), all PKCS12 with one password.
#
#   deploy/kafka/secure/make-certs.sh OUTDIR PASSWORD kafka-1=10.0.0.1 kafka-2=10.0.0.2 kafka-3=10.0.0.3
#
# A NAME=ADDRESS whose address is a DNS name gets a dns: SAN instead of ip:. Valid 825 days (VALIDITY_DAYS).
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 OUTDIR PASSWORD NAME=ADDRESS..." >&2
  exit 2
fi
out=$1; pass=$2; shift 2
days=${VALIDITY_DAYS:-825}
command -v keytool >/dev/null || { echo "$0: keytool (a JDK) is needed" >&2; exit 2; }
mkdir -p "$out"
umask 077
kt() { keytool -noprompt -storetype PKCS12 -storepass "$pass" -keypass "$pass" "$@"; }

if [ ! -f "$out/ca.p12" ]; then
  kt -genkeypair -alias ca -keyalg RSA -keysize 3072 -dname "CN=cms-kafka-ca" -validity "$days" \
     -ext bc:c=ca:true -ext ku:c=keyCertSign,cRLSign -keystore "$out/ca.p12"
fi
kt -exportcert -rfc -alias ca -keystore "$out/ca.p12" -file "$out/ca.crt"
rm -f "$out/truststore.p12"
kt -importcert -alias ca -file "$out/ca.crt" -keystore "$out/truststore.p12"

for spec in "$@"; do
  name=${spec%%=*}; address=${spec#*=}
  if [[ "$address" =~ ^[0-9.]+$ || "$address" == *:* ]]; then san="ip:$address"; else san="dns:$address"; fi
  store="$out/$name.p12"
  rm -f "$store"
  kt -genkeypair -alias "$name" -keyalg RSA -keysize 2048 -dname "CN=$name" -validity "$days" -keystore "$store"
  kt -certreq -alias "$name" -keystore "$store" -file "$out/$name.csr"
  kt -gencert -alias ca -keystore "$out/ca.p12" -infile "$out/$name.csr" -outfile "$out/$name.crt" -rfc \
     -validity "$days" -ext "san=$san" -ext ku:c=digitalSignature,keyEncipherment -ext eku=serverAuth,clientAuth
  kt -importcert -alias ca -file "$out/ca.crt" -keystore "$store"
  kt -importcert -alias "$name" -file "$out/$name.crt" -keystore "$store"
  rm -f "$out/$name.csr"
  echo "make-certs: $store (CN=$name, $san)"
done
echo "make-certs: $out/truststore.p12 (the CA); keep $out/ca.p12 offline"
