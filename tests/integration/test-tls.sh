# SIP over TLS (WITH_TLS): a phone registers over TLS with its digest, and
# its calls reach it over that connection. Sourced by run.sh.

TLS_PORT=25061
scripts_tls=$TOP/scripts/tls-selfsigned.sh
check "a self-signed certificate is made" \
	"$scripts_tls" "$WORK/tls/proxy.crt" "$WORK/tls/proxy.key"
check "kamailio starts with TLS on 127.0.0.1:$TLS_PORT" \
	start_kamailio tls -A HTTP_IDLE_TIMEOUT=2 -A WITH_TLS -A "TLS_LISTEN=tls:127.0.0.1:$TLS_PORT" \
	-A "TLS_CERT=\"$WORK/tls/proxy.crt\"" -A "TLS_KEY=\"$WORK/tls/proxy.key\""
# (openssl 3.0, Debian 12's, prints "subject=CN = 127.0.0.1"; 3.5, Debian
# 13's, "subject=CN=127.0.0.1")
check "the TLS listener answers with that certificate" \
	sh -c "openssl s_client -connect 127.0.0.1:$TLS_PORT </dev/null 2>/dev/null | grep -Eq 'subject=CN ?= ?127\.0\.0\.1$'"

check "a phone registers over TLS" \
	start_phone tls-phone load003 secret-003 6 --transport tls \
	--proxy "127.0.0.1:$TLS_PORT" --bind 127.0.0.1:0
check "its binding is on the TLS socket" \
	sh -c "kamcmd -s '$CTL' ul.lookup location load003 | grep -q 'Socket: tls:127.0.0.1:$TLS_PORT'"
sleep 3
check "an Asterisk server's call (UDP) reaches it over TLS and is answered" \
	call tls-call load003
check "(its connection outlived the 2 s idle time: it is registered)" \
	sh -c "! grep -q 'connection lost' '$WORK/tls-phone.out'"
expect_eq "the phone got INVITE, ACK and BYE on its TLS connection" 3 \
	"$(phone_got tls-phone '"method": "(INVITE|ACK|BYE)"')"

python3 "$SIPUA" --proxy "127.0.0.1:$TLS_PORT" --transport tls \
	--user load004 --password wrong >"$WORK/tls-wrong.out" 2>&1
expect_eq "a wrong password over TLS is refused like on UDP" "REGISTER 401" \
	"$(head -1 "$WORK/tls-wrong.out")"
stop_phone tls-phone
stop_kamailio

# Without WITH_TLS nothing listens there.
check "kamailio starts without TLS" start_kamailio no-tls
check "no TLS listener then" \
	sh -c "! ss -ltn | grep -q '127.0.0.1:$TLS_PORT '"
stop_kamailio
