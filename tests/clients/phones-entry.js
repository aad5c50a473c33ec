// The two browser SIP libraries, bundled (esbuild) for the test page:
// window.SIP (SIP.js, an ES module) and window.JsSIP (CommonJS).
import * as SIP from "sip.js";
import * as JsSIPModule from "jssip";

window.SIP = SIP;
window.JsSIP = JsSIPModule.default && JsSIPModule.default.UA ? JsSIPModule.default : JsSIPModule;
