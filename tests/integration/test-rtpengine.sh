# Media anchored in rtpengine (WITH_RTPENGINE): a call's SDP offer and
# answer are rewritten to rtpengine's ports, and the session is deleted
# when the call ends. Without it, SDP passes untouched (media between phone
# and Asterisk). Sourced by run.sh.

NG_PORT=25223
check "rtpengine starts (ng on 127.0.0.1:$NG_PORT)" start_rtpengine $NG_PORT
check "kamailio starts with WITH_RTPENGINE" \
	start_kamailio media -A WITH_RTPENGINE \
	-A "RTPENGINE_SOCK=\"udp:127.0.0.1:$NG_PORT\""
check "a phone registers" start_phone media-phone load008 secret-008 5 \
	--bind 127.0.0.1:7012
check "an Asterisk server's call with SDP is answered" \
	call media-call load008 call-sdp.xml -mp 6000
offer=$(grep -o '"sdp": "[^"]*' "$WORK/media-phone.log" | head -1)
check "the phone's offer names rtpengine's port, not the server's (6000)" \
	sh -c "echo '$offer' | grep -Eq 'm=audio 300[0-9][0-9] ' && ! echo '$offer' | grep -q 'm=audio 6000 '"
check "the server's answer names rtpengine's port, not the phone's (40000)" \
	sh -c "awk '/SIP\\/2.0 200 OK/,/^-----/' '$WORK/media-call.msg' | grep -Eq '^m=audio 300[0-9][0-9] '"
check "rtpengine got the offer, the answer and the delete" \
	sh -c "grep -q \"Received command 'offer'\" '$WORK/rtpengine.log' && grep -q \"Received command 'answer'\" '$WORK/rtpengine.log' && grep -q \"Received command 'delete'\" '$WORK/rtpengine.log'"
stop_phones
stop_kamailio

check "kamailio starts without WITH_RTPENGINE" start_kamailio no-rtpengine
check "a phone registers" start_phone plain-phone load008 secret-008 4 \
	--bind 127.0.0.1:7012
check "an Asterisk server's call with SDP is answered" \
	call plain-call load008 call-sdp.xml -mp 6000
check "the phone's offer is the server's own (media port 6000)" \
	grep -q 'm=audio 6000 ' "$WORK/plain-phone.log"
stop_phones
stop_kamailio
stop_rtpengine
