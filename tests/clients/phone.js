// A browser phone for the tests, on SIP.js or JsSIP, with ViciPhone's
// options: the proxy's WebSocket URL, the extension and its registration
// password, an IP address in the Contact (hackIpInContact), Via over TCP
// (hackViaTcp, SIP.js) and Contact ;transport=ws or wss. Driven by
// browser.mjs through window.phone; every event is appended to
// window.events (and shown on the page) for the driver to wait on.
(function () {
	"use strict";
	const events = [];
	window.events = events;
	function note(what) {
		events.push(what);
		document.getElementById("log").textContent += what + "\n";
		document.getElementById("state").textContent = what;
	}
	const media = { audio: true, video: false };
	let ua = null;
	let session = null;

	function sipjs(cfg) {
		const SIP = window.SIP;
		let registerer = null;
		function watch(s, dir) {
			session = s;
			s.stateChange.addListener((state) => {
				if (state === SIP.SessionState.Established) note(dir + " established");
				if (state === SIP.SessionState.Terminated) note(dir + " terminated");
			});
		}
		ua = new SIP.UserAgent({
			uri: SIP.UserAgent.makeURI("sip:" + cfg.user + "@" + cfg.domain),
			transportOptions: { server: cfg.url },
			authorizationUsername: cfg.user,
			authorizationPassword: cfg.password,
			hackIpInContact: true,
			hackViaTcp: true,
			contactParams: { transport: cfg.transport },
			logBuiltinEnabled: false,
			sessionDescriptionHandlerFactoryOptions: { iceGatheringTimeout: 1000 },
			delegate: {
				onInvite(invitation) {
					note("incoming from " + invitation.remoteIdentity.uri.user);
					watch(invitation, "in");
					invitation.accept({ sessionDescriptionHandlerOptions: { constraints: media } });
				},
			},
		});
		return {
			async start() {
				await ua.start();
				registerer = new SIP.Registerer(ua, { expires: 300 });
				registerer.stateChange.addListener((state) => {
					if (state === SIP.RegistererState.Registered) note("registered");
					if (state === SIP.RegistererState.Unregistered) note("unregistered");
				});
				await registerer.register({
					requestDelegate: {
						onReject(r) { note("register rejected " + r.message.statusCode); },
					},
				});
			},
			call(number) {
				const inviter = new SIP.Inviter(ua, SIP.UserAgent.makeURI("sip:" + number + "@" + cfg.domain),
					{ sessionDescriptionHandlerOptions: { constraints: media } });
				watch(inviter, "out");
				inviter.invite({
					requestDelegate: {
						onReject(r) { note("out rejected " + r.message.statusCode); },
						onAccept(r) { note("out accepted " + r.message.statusCode); },
					},
				});
			},
			hangup() { session.bye(); },
		};
	}

	function jssip(cfg) {
		const JsSIP = window.JsSIP;
		const socket = new JsSIP.WebSocketInterface(cfg.url);
		ua = new JsSIP.UA({
			sockets: [socket],
			uri: "sip:" + cfg.user + "@" + cfg.domain,
			password: cfg.password,
			contact_uri: "sip:" + cfg.user + "@127.0.0.1;transport=" + cfg.transport,
			session_timers: false,
			register_expires: 300,
		});
		ua.on("registered", () => note("registered"));
		ua.on("unregistered", () => note("unregistered"));
		ua.on("registrationFailed", (e) => note("register rejected " + (e.response ? e.response.status_code : e.cause)));
		ua.on("newRTCSession", (e) => {
			const s = e.session;
			const dir = e.originator === "remote" ? "in" : "out";
			session = s;
			s.on("accepted", (r) => { if (dir === "out") note("out accepted " + (r.response ? r.response.status_code : "")); });
			s.on("confirmed", () => note(dir + " established"));
			s.on("ended", (x) => note(dir + " terminated (" + x.originator + ")"));
			s.on("failed", (x) => note(dir + " rejected " + (x.message && x.message.status_code ? x.message.status_code : x.cause)));
			if (dir === "in") {
				note("incoming from " + s.remote_identity.uri.user);
				s.answer({ mediaConstraints: media, pcConfig: { iceServers: [] } });
			}
		});
		return {
			async start() { ua.start(); },
			call(number) {
				ua.call("sip:" + number + "@" + cfg.domain,
					{ mediaConstraints: media, pcConfig: { iceServers: [] } });
			},
			hangup() { session.terminate(); },
		};
	}

	window.startPhone = function (cfg) {
		document.getElementById("title").textContent =
			cfg.lib + " " + cfg.user + " over " + cfg.url;
		window.phone = cfg.lib === "jssip" ? jssip(cfg) : sipjs(cfg);
		note("starting");
		return window.phone.start().catch((e) => note("error " + e));
	};
})();
