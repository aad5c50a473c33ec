# VICIdial phones rows for the benchmarks, as SQL both SQLite and MariaDB
# take:   awk -v n=10000 -f bench/gen-phones.awk
# Row i (1..n): every fourth an EXTERNAL entry e<i> (a remote number,
# 913122<i>, that the routing rule _91NXXNXXXXXX rewrites to 13122<i>);
# the others SIP phones p<i> with password pw<i>. 1000 rows per INSERT.
BEGIN {
	for (i = 1; i <= n; i++) {
		if ((i - 1) % 1000 == 0)
			printf "INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip, login, pass, status, active, protocol, fullname, outbound_cid, conf_secret) VALUES\n"
		else
			printf ",\n"
		if (i % 4 == 0)
			printf "('e%07d','913122%06d','%d','127.0.0.2','e%07d','agentpw','ACTIVE','Y','EXTERNAL','Remote %d','3125550100','test')", i, i % 1000000, i, i, i
		else
			printf "('p%07d','7%07d','%d','127.0.0.2','p%07d','agentpw','ACTIVE','Y','SIP','Phone %d','3125550100','pw%07d')", i, i, i, i, i, i
		if (i % 1000 == 0 || i == n)
			printf ";\n"
	}
}
