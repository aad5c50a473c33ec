# Phones behind NAT: a phone whose Via and Contact name one port (9999)
# while it sends from another (7010) is registered, called and kept alive
# at the port it sends from; nothing goes to the port it names.
# Sourced by run.sh.

KEEPALIVE_S=2
check "kamailio starts (keepalives every 2 s)" start_kamailio nat
unset KEEPALIVE_S

check "a phone behind NAT (Via, Contact :9999, sent from :7010) registers" \
	start_phone nat-phone load001 secret-001 10 --bind 127.0.0.1:7010 \
	--advertise 127.0.0.1:9999 --watch 9999
check "its binding keeps the address it sent from (received)" \
	sh -c "kamcmd -s '$CTL' ul.lookup location load001 | grep -q 'Received: sip:127.0.0.1:7010'"
check "and the contact it named" \
	sh -c "kamcmd -s '$CTL' ul.lookup location load001 | grep -q 'Address: sip:load001@127.0.0.1:9999'"

check "an Asterisk server's call to it is answered" call nat-call load001
sleep 0.5
expect_eq "the phone got the INVITE on 7010" 1 \
	"$(phone_got nat-phone '"method": "INVITE"')"
expect_eq "and the ACK and the BYE of the call (its Contact's alias)" 2 \
	"$(phone_got nat-phone '"method": "(ACK|BYE)"')"
check "keepalives (OPTIONS) reach it on 7010" \
	sh -c "sleep 4; [ \$(grep -c '\"method\": \"OPTIONS\"' '$WORK/nat-phone.log') -ge 1 ]"
expect_eq "nothing went to the port it named (9999)" 0 \
	"$(phone_got nat-phone '"watch": true')"
check "usrloc measured its keepalive round trip" \
	sh -c "kamcmd -s '$CTL' ul.lookup location load001 | grep -Eq 'KA-Roundtrip: [1-9]'"

# Its own call (from 127.0.0.9: 127.0.0.1 is trusted as a server here):
# its INVITE's Contact (:9999) gets the address it sent from, so the
# server's BYE reaches it on 7010.
stop_phone nat-phone
check "its Asterisk server (127.0.0.2) is listening" \
	start_uas nat-ast 5060 1 127.0.0.2 uas-hangup.xml
check "the phone behind NAT calls its server and is answered" \
	start_phone nat-caller load001 secret-001 4 --bind 127.0.0.9:7010 \
	--advertise 127.0.0.9:9999 --watch 9999 --call 8600051
sleep 1
expect_eq "its call was answered" "INVITE 200" "$(grep '^INVITE' "$WORK/nat-caller.out")"
check "the server got the call and its BYE was answered" wait_uas nat-ast
check "the Contact the server got carries the phone's NAT address (alias)" \
	grep -q 'Contact: <sip:load001@127.0.0.9:9999;alias=127.0.0.9~7010~1>' "$WORK/nat-ast.msg"
expect_eq "the server's BYE reached the phone on 7010" 1 \
	"$(phone_got nat-caller '"method": "BYE"')"
expect_eq "nothing went to 9999" 0 "$(phone_got nat-caller '"watch": true')"

# A phone not behind NAT (Via and Contact are where it sends from) is not
# marked as NATed; its binding is the address it sent from all the same
# (received, as for every REGISTER: a Contact is never an address).
check "a phone that names its own address registers" \
	start_phone direct-phone load002 secret-002 4 --bind 127.0.0.1:7011
check "its binding's received address is the one it sent from" \
	sh -c "kamcmd -s '$CTL' ul.lookup location load002 | grep -q 'Received: sip:127.0.0.1:7011'"
check "it is not marked as behind NAT (no NAT branch flag)" \
	sh -c "! kamcmd -s '$CTL' ul.lookup location load002 | grep -Eq 'CFlags: [1-9]'"
check "an Asterisk server's call to it is answered" call direct-call load002
stop_phone nat-phone
stop_phone direct-phone
stop_kamailio
