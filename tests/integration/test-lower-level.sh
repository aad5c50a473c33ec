# The lower-level interface (phones_route(), phones_next_server(),
# phones_devices(), phones_next_devices()) kept for configurations written
# against it, now carried out on the call plan: cfg/minimal.cfg with its
# phones_call() and phones_call_next() replaced by
# fixtures/lower-level.cfg, and every call flow of test-route,
# test-cluster and test-devices through it. Sourced by run.sh.

LOWER_CFG=$WORK/lower-level.cfg
sed -e 's|^\([[:space:]]*\)if (!phones_call()) .*$|\1route(LOWER_LEVEL);|' \
	-e '/t_on_failure("CALL_NEXT");/d' \
	-e 's|^loadmodule "phones.so"$|&\nloadmodule "xlog.so"|' \
	"$TOP/cfg/minimal.cfg" >"$LOWER_CFG"
echo "include_file \"$TOP/tests/integration/fixtures/lower-level.cfg\"" >>"$LOWER_CFG"
expect_eq "the copy of cfg/minimal.cfg calls neither phones_call() nor its failure route" \
	"0 1 1" "$(grep -c 'phones_call()\|t_on_failure("CALL_NEXT")' "$LOWER_CFG") $(grep -c 'route(LOWER_LEVEL)' "$LOWER_CFG") $(grep -c '^loadmodule "xlog.so"' "$LOWER_CFG")"
through_cfg "$LOWER_CFG" "the lower-level interface"
unset LOWER_CFG
