// REGISTER through KSR.phones.phones_auth() and INVITE through
// KSR.phones.phones_caller(), KSR.phones.phones_route() and
// KSR.phones.phones_call(), as
// cfg/kamailio.cfg does in the native
// language (trimmed to what the KEMI test needs).
function ksr_request_route()
{
	if (KSR.is_method("REGISTER")) {
		var realm = KSR.pv.get("$td");
		var rc = KSR.phones.phones_auth(realm);
		if (rc == -8) {
			KSR.sl.sl_send_reply(403, "Forbidden");
			return;
		}
		if (rc < 0) {
			KSR.phones.phones_challenge(realm, 1);
			return;
		}
		KSR.auth.consume_credentials();
		// never a Contact at a server or a carrier of the tables
		if (KSR.phones.phones_peer_of(KSR.pv.get("$(ct{nameaddr.uri})")) > 0) {
			KSR.sl.sl_send_reply(403, "Contact is not yours");
			return;
		}
		KSR.registrar.save("location", 0);
		return;
	}
	if (KSR.is_method("INVITE")) {
		// Record-route so that ACK and BYE come this way; route EXTERNAL
		// entries out their trunk, refuse the rest.
		KSR.rr.record_route();
		// Not a server or carrier of VICIdial's tables: SIPp on this host
		// plays an Asterisk server here, declared as one.
		if (KSR.phones.phones_caller() < 0) {
			KSR.phones.phones_caller_kind("server");
		}
		// x201 and x204 through the plan, the others through phones_route
		var user = KSR.pv.get("$rU");
		if (user == "x201" || user == "x204") {
			if (KSR.phones.phones_call() == 1) {
				KSR.tm.t_relay();
				return;
			}
			KSR.sl.sl_send_reply(KSR.pv.get("$phones(code)"),
					KSR.pv.get("$phones(reason)"));
			return;
		}
		if (KSR.phones.phones_route() == 1) {
			KSR.tm.t_relay();
			return;
		}
		KSR.sl.sl_send_reply(404, "Not Here");
		return;
	}
	if (KSR.rr.loose_route() > 0) {
		KSR.tm.t_relay();
		return;
	}
	KSR.sl.sl_send_reply(404, "Not Here");
}
