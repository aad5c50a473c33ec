# Registration status written back to VICIdial's phones table:
# peer_status follows register, keepalive answers (REACHABLE, ping_time),
# silence (UNREACHABLE), unregister and expiry (UNREGISTERED), only for
# the row it is about; a table without the columns still serves.
# Sourced by run.sh.

PHONE_PORT=$((SIPP_PORT + 9)) # where the phone's contact answers keepalives

# peer EXT SERVER_IP: "peer_status|ping_time" of that row (-1: NULL), or
# the columns $PEER_COLS names.
PEER_COLS="peer_status, COALESCE(ping_time, -1)"
peer() {
	backend_query "SELECT $PEER_COLS FROM phones WHERE extension = '$1' AND server_ip = '$2'"
}

# wait_peer EXT SERVER_IP REGEX [SECONDS]: until peer() matches REGEX
# (10 s unless given). Prints the last value seen when it never does.
wait_peer() {
	local i v n=$((${4:-10} * 4))
	for i in $(seq "$n"); do
		v=$(peer "$1" "$2")
		if [[ $v =~ ^($3)$ ]]; then
			return 0
		fi
		sleep 0.25
	done
	echo "peer_status of $1@$2 still '$v', not /$3/" >&2
	return 1
}

# register_phone NAME EXT PASSWORD EXPIRES: registers from PHONE_PORT, its
# contact (from another port it would be a phone behind NAT, reached there).
register_phone() {
	csv "$WORK/$1.csv" "$2;[authentication username=$2 password=$3];$4;$PHONE_PORT"
	sipp_run "$1" register-contact.xml "$WORK/$1.csv" 1 -p "$PHONE_PORT"
}

# A phone with two home servers (same password): both rows follow it.
backend_sql <<'SQL'
INSERT INTO phones (extension, dialplan_number, server_ip, active, protocol,
  conf_secret) VALUES ('h700', '7700', '127.0.0.2', 'Y', 'SIP', 'pw-h700'),
  ('h700', '7700', '127.0.0.3', 'Y', 'SIP', 'pw-h700');
UPDATE phones SET peer_status = 'REGISTERED', ping_time = 5
  WHERE extension = 't101';
SQL

PEER_STATUS_S=1 KEEPALIVE_S=1 check "kamailio starts writing peer_status" \
	start_kamailio peer -A PEER_UNREACHABLE_TIME=3 -A REGISTER_MIN_EXPIRES=1 \
	-A PEER_LAGGED_MS=200
check "the start-up log says what is written" \
	grep -q "registration status written every 1 s to table 'phones', columns: peer_status ping_time" "$KAMAILIO_LOG"

# --- the first round: every phone that may register, UNREGISTERED ---
check "an unregistered phone shows UNREGISTERED" wait_peer t100 127.0.0.2 "UNREGISTERED\|-1"
check "a row left REGISTERED by a previous run is put right" \
	wait_peer t101 127.0.0.2 "UNREGISTERED\|-1"
expect_eq "an EXTERNAL entry is left UNKNOWN" "UNKNOWN|-1" "$(peer x200 127.0.0.2)"
expect_eq "an inactive entry is left UNKNOWN" "UNKNOWN|-1" "$(peer t300 127.0.0.2)"
expect_eq "an ambiguous extension is left UNKNOWN" "UNKNOWN|-1" "$(peer amb400 127.0.0.3)"
check "load phones too (more rows than a batch)" wait_peer load100 127.0.0.2 "UNREGISTERED\|-1"
sleep 2
first=$(stat peer_status_writes)
check "statistic peer_status_writes counts the first round's rows" \
	test "$first" -ge $((LOAD_USERS + 4))
sleep 2
expect_eq "nothing changed: nothing written" "$first" "$(stat peer_status_writes)"

# --- a restart rewrites nothing that is right already (the book starts
# from what the table holds); a row made wrong meanwhile is put right ---
stop_kamailio
backend_sql <<'SQL'
UPDATE phones SET peer_status = 'REACHABLE', ping_time = 7
  WHERE extension = 't101';
SQL
PEER_STATUS_S=1 KEEPALIVE_S=1 check "kamailio starts again on the same table" \
	start_kamailio peer-again -A PEER_UNREACHABLE_TIME=3 -A REGISTER_MIN_EXPIRES=1 \
	-A PEER_LAGGED_MS=200
check "the row made wrong is put right" wait_peer t101 127.0.0.2 "UNREGISTERED\|-1"
sleep 2
expect_eq "and it is the only row written" 1 "$(stat peer_status_writes)"

# --- register: REGISTERED, then REACHABLE with ping_time as it answers ---
check "t100 registers (contact on port $PHONE_PORT)" register_phone reg t100 pw-t100 600
check "registered, keepalives unanswered yet: REGISTERED" \
	wait_peer t100 127.0.0.2 "REGISTERED\|-1"
check "a phone answers keepalives on its contact" \
	start_uas phone "$PHONE_PORT" 1000 127.0.0.1 options-uas.xml
check "answering keepalives: REACHABLE with ping_time" \
	wait_peer t100 127.0.0.2 "REACHABLE\|[0-9]+"
check "the keepalive OPTIONS came from usrloc to the contact" \
	grep -q "From: <sip:keepalive@kamailio.invalid>" "$WORK/phone.msg"
expect_eq "another phone's row is untouched" "UNREGISTERED|-1" "$(peer t101 127.0.0.2)"

# --- answers to keepalives pass reply_route, but are never forwarded:
# one that names a second Via (in a header of its own, or after a comma)
# goes nowhere ---
forged=$(python3 - "$KAMAILIO_PORT" <<'PY'
import socket, sys
port = int(sys.argv[1])
victim = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
victim.bind(("127.0.0.3", 25099))
victim.settimeout(1.5)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.4", 0))
ours = "SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKx.1.1.0" % port
theirs = "SIP/2.0/UDP 127.0.0.3:25099;branch=z9hG4bKdef"
for via in ("Via: %s\r\nVia: %s\r\n" % (ours, theirs),
            "Via: %s, %s\r\n" % (ours, theirs)):
    s.sendto(("SIP/2.0 200 OK\r\n" + via +
              "From: <sip:keepalive@kamailio.invalid>;tag=x-1-2-3-4.5\r\n"
              "To: <sip:t100@kamailio.org>;tag=2\r\n"
              "Call-ID: ksrulka-1\r\nCSeq: 80 OPTIONS\r\n"
              "Content-Length: 0\r\n\r\n").encode(), ("127.0.0.1", port))
try:
    victim.recv(65535)
    print("forwarded")
except socket.timeout:
    print("dropped")
PY
)
expect_eq "a forged keepalive answer with a second Via is not forwarded" dropped "$forged"
check "kamailio is still alive" kamailio_alive

# --- the phone stops answering: UNREACHABLE (the binding is kept) ---
stop_uas phone
check "silent for PEER_UNREACHABLE_TIME: UNREACHABLE, no ping_time" \
	wait_peer t100 127.0.0.2 "UNREACHABLE\|-1"
check "  and still registered in usrloc" \
	sh -c "kamcmd -s '$CTL' ul.lookup location t100 | grep -q 'sip:t100@127.0.0.1:$PHONE_PORT'"
check "answering again: REACHABLE" \
	start_uas phone2 "$PHONE_PORT" 1000 127.0.0.1 options-uas.xml
check "  (REACHABLE)" wait_peer t100 127.0.0.2 "REACHABLE\|[0-9]+"

# --- answering slowly (300 ms, above PEER_LAGGED_MS 200): LAGGED ---
stop_uas phone2
check "the phone answers keepalives after 300 ms" \
	start_uas slow "$PHONE_PORT" 1000 127.0.0.1 options-uas-slow.xml
check "answering slowly: LAGGED with its ping_time (300 ms and more)" \
	wait_peer t100 127.0.0.2 "LAGGED\|([3-9][0-9][0-9]|[0-9]{4,})"
stop_uas slow
check "answering at once again" \
	start_uas phone3 "$PHONE_PORT" 1000 127.0.0.1 options-uas.xml
check "  REACHABLE, its ping_time under PEER_LAGGED_MS" \
	wait_peer t100 127.0.0.2 "REACHABLE\|([0-9]|[0-9][0-9]|1[0-9][0-9]|200)"

stop_uas phone3

# --- unregister (Expires: 0): UNREGISTERED ---
check "t100 unregisters (Expires: 0)" register_phone unreg t100 pw-t100 0
check "unregistered: UNREGISTERED, no ping_time" \
	wait_peer t100 127.0.0.2 "UNREGISTERED\|-1"

# --- expiry: a registration of 3 s ends by itself ---
check "t100 registers for 3 s" register_phone short t100 pw-t100 3
check "registered for 3 s: up" wait_peer t100 127.0.0.2 "(REGISTERED|REACHABLE)\|.*" 3
check "expired: UNREGISTERED" wait_peer t100 127.0.0.2 "UNREGISTERED\|-1" 10

# --- a phone of two home servers: both its rows ---
csv "$WORK/h700.csv" "h700;[authentication username=h700 password=pw-h700];600;$PHONE_PORT"
check "h700 registers" sipp_run h700 register-contact.xml "$WORK/h700.csv" 1 -p "$PHONE_PORT"
check "its row on 127.0.0.2 shows it" wait_peer h700 127.0.0.2 "(REGISTERED|UNREACHABLE)\|-1"
check "its row on 127.0.0.3 shows it" wait_peer h700 127.0.0.3 "(REGISTERED|UNREACHABLE)\|-1"

# --- the database goes away: the SIP path goes on, writes wait (MariaDB:
# SQLite's file stays open to the writer, moved away or not) ---
if [ "$backend" = mariadb ]; then
backend_down
check "t100 registers while the database is down" register_phone down t100 pw-t100 600
sleep 3
check "kamailio is alive" kamailio_alive
check "one error line for the failure" \
	test "$(grep -c "cannot write the registration status" "$KAMAILIO_LOG")" = 1
check "statistic peer_status_write_errors counts the failed rounds" \
	test "$(stat peer_status_write_errors)" -ge 1
backend_up
check "the database is back: written at the next round" \
	wait_peer t100 127.0.0.2 "(REGISTERED|UNREACHABLE)\|-1" 20
check "  and the log says so" grep -q "registration status written again" "$KAMAILIO_LOG"
fi
stop_kamailio

# --- a table without ping_time: peer_status alone ---
backend_sql <<'SQL'
UPDATE phones SET peer_status = 'UNKNOWN', ping_time = NULL;
ALTER TABLE phones DROP COLUMN ping_time;
SQL
PEER_STATUS_S=1 KEEPALIVE_S=1 check "kamailio starts on a table without ping_time" \
	start_kamailio peer-noping -A PEER_UNREACHABLE_TIME=3
check "  it says peer_status only" grep -q "has no column 'ping_time': peer_status only" "$KAMAILIO_LOG"
PEER_COLS=peer_status
check "  and writes it" wait_peer t101 127.0.0.2 UNREGISTERED
PEER_COLS="peer_status, COALESCE(ping_time, -1)"
stop_kamailio

# --- a table with neither column: off, and the proxy works as ever ---
backend_sql <<'SQL'
ALTER TABLE phones DROP COLUMN peer_status;
SQL
PEER_STATUS_S=1 KEEPALIVE_S=1 check "kamailio starts on a table without peer_status and ping_time" \
	start_kamailio peer-none
check "  it says peer_status is not written" \
	grep -q "has neither column 'peer_status' nor 'ping_time': peer_status is not written" "$KAMAILIO_LOG"
check "  a phone registers as ever" register_phone none t100 pw-t100 600
sleep 2
expect_eq "  nothing is written" 0 "$(stat peer_status_writes)"
stop_kamailio

# the columns back, as VICIdial has them, and the phones as they were
if [ "$backend" = mariadb ]; then
	backend_sql <<'SQL'
ALTER TABLE phones ADD COLUMN peer_status ENUM('UNKNOWN','REGISTERED','UNREGISTERED','REACHABLE','LAGGED','UNREACHABLE') DEFAULT 'UNKNOWN',
  ADD COLUMN ping_time SMALLINT(6) DEFAULT NULL;
SQL
else
	backend_sql <<'SQL'
ALTER TABLE phones ADD COLUMN peer_status VARCHAR(12) DEFAULT 'UNKNOWN';
ALTER TABLE phones ADD COLUMN ping_time SMALLINT DEFAULT NULL;
SQL
fi
backend_sql <<'SQL'
DELETE FROM phones WHERE extension = 'h700';
SQL
