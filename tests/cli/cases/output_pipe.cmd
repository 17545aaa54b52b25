# a closed pipe with SIGPIPE ignored (as under some supervisors): EPIPE,
# exit 5; the reader closes its end before proctrail writes
trap '' PIPE
{ sleep 0.2; proctrail search; echo "search rc=$?" >&2; } | (exec 0<&-; sleep 0.6)
{ sleep 0.2; proctrail export --since @0; echo "export rc=$?" >&2; } | (exec 0<&-; sleep 0.6)
