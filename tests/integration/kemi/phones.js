// REGISTER through KSR.phones.phones_auth(), as cfg/kamailio.cfg's
// route[REGISTRAR] does it in the native language.
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
			KSR.auth.auth_challenge(realm, 1);
			return;
		}
		KSR.auth.consume_credentials();
		KSR.registrar.save("location", 0);
		return;
	}
	KSR.sl.sl_send_reply(404, "Not Here");
}
