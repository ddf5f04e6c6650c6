# /etc/cron.d/casekit - casekit's nightly jobs from cron, the alternative to
# the systemd timers casekit-escalate.timer, casekit-report.timer and
# casekit-backup.timer: use one or the other, never both.  Every line is
# commented out; see /usr/share/doc/casekit/README.Debian.  The settings
# are those of /etc/default/casekit.  Times are the cron daemon's zone's.
SHELL=/bin/sh
PATH=/usr/bin:/bin

#15 1 * * *  root  umask 007; set -a; . /etc/default/casekit; mkdir -p "$CASE_BACKUP_DIR" && case-backup "$CASE_BACKUP_DIR/cases-$(LC_ALL=C date +\%a).db" >/dev/null
#30 1 * * *  root  umask 007; set -a; . /etc/default/casekit; case-escalate
#30 6 * * *  root  umask 007; set -a; . /etc/default/casekit; mkdir -p "$CASE_REPORT_DIR" && case-report
# Notices to the units every five minutes, in Chinese (case-notify(1)):
#*/5 * * * *  root  umask 007; set -a; . /etc/default/casekit; LANG=zh_CN.UTF-8 case-notify --due-within 1d
