# Renamed columns: the *_column parameters name them for the loader and
# the provisioning API alike (the registration password of the phones
# table, the address and Asterisk flag of the servers table). Sourced by
# run.sh.

API="http://127.0.0.1:$HTTP_PORT/vicidial/non_agent_api.php"
AUTH="source=test&user=6666&pass=1234"
C801="function=add_phone&extension=c801&dialplan_number=7801&voicemail_id=7801&phone_login=l801&phone_pass=pp801&server_ip=127.0.0.2&protocol=SIP&registration_password=secret801&phone_full_name=Col+801&local_gmt=-5.00&outbound_cid=3125550801"
register_as() { # NAME USER PASSWORD accepted|refused
	csv "$WORK/$1.csv" "$(auth_line "$2" "$3")"
	sipp_run "$1" "register-$4.xml" "$WORK/$1.csv" 1
}

backend_sql <<'EOF'
ALTER TABLE phones RENAME COLUMN conf_secret TO sip_secret;
ALTER TABLE servers RENAME COLUMN server_ip TO srv_ip;
ALTER TABLE servers RENAME COLUMN active_asterisk_server TO is_asterisk;
EOF
sed 's/^modparam("phones", "table", "phones")$/&\
modparam("phones", "conf_secret_column", "sip_secret")\
modparam("phones", "servers_ip_column", "srv_ip")\
modparam("phones", "servers_asterisk_column", "is_asterisk")/' \
	"$TOP/cfg/kamailio.cfg" >"$WORK/columns.cfg"
KAMAILIO_CFG=$WORK/columns.cfg
check "kamailio starts with renamed columns" start_kamailio columns
unset KAMAILIO_CFG
check "the loader reads the password from conf_secret_column" \
	register_as col-t100 t100 pw-t100 accepted

expect_eq "the API looks the server up by servers_ip_column" \
	"ERROR: add_phone SERVER DOES NOT EXIST: |6666|127.0.9.9" \
	"$(curl -s "$API?$AUTH&${C801/127.0.0.2/127.0.9.9}")"
expect_eq "add_phone with renamed columns" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|c801|127.0.0.2|SIP|7801" \
	"$(curl -s "$API?$AUTH&$C801")"
expect_eq "the password went to conf_secret_column" "secret801" \
	"$(backend_query "SELECT sip_secret FROM phones WHERE extension = 'c801'")"
expect_eq "the server's rebuild flag is set through the servers_*_column" \
	"127.0.0.2|Y" \
	"$(backend_query "SELECT srv_ip, rebuild_conf_files FROM servers WHERE srv_ip = '127.0.0.2'")"
admin_sql=$(backend_query "SELECT event_sql FROM vicidial_admin_log WHERE record_id = 'c801'")
check "the admin log's event_sql names the configured column" \
	grep -q "sip_secret='<secret>'" <<<"$admin_sql"
check "the new phone registers at once" register_as col-c801 c801 secret801 accepted

backend_sql <<'EOF'
DELETE FROM phones WHERE extension = 'c801';
DELETE FROM vicidial_admin_log;
UPDATE servers SET rebuild_conf_files = 'N';
ALTER TABLE phones RENAME COLUMN sip_secret TO conf_secret;
ALTER TABLE servers RENAME COLUMN srv_ip TO server_ip;
ALTER TABLE servers RENAME COLUMN is_asterisk TO active_asterisk_server;
EOF
