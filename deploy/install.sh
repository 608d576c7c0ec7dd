#!/bin/sh
# Sets up a host for the jabber.org status site, per role (issue 25). Run as
# root from a clone of the repository; running it again changes nothing that
# is already right, and never overwrites a secret.
#
#   deploy/install.sh --role probe|build|web|all [options]
#
# Roles (README, "Operating it"):
#   probe  probes every minute and publishes summary.json (the site's and the
#          directory's) for the build host; watches the build host
#   build  the content repository (admins push here), its hook, the publish
#          loop (build, notify, alert): the watcher that publishes as soon
#          as a probe summary changes, and the timer as its safety net
#   web    nginx serving the live release: HTTP bootstrap until the
#          certificate exists, then HTTPS
#   all    the three on one machine
#
# Options:
#   --prefix DIR    install under DIR instead of / (a test, a dry run);
#                   systemctl and nginx reloads are then left out
#   --user NAME     the service user (default jabber-status); its group is
#                   the pushing group: add admins with `adduser NAME jabber-status`
#   --domain NAME   the site's name (default status.jabber.org)
#   --skip-npm      do not run npm ci in the app checkout (tests)
#   --repo URL      (probe role without build) the content repository to
#                   clone into /srv/jabber-status/app, e.g.
#                   ssh://build.example.net/srv/jabber-status/content.git;
#                   default: the origin of the checkout this script runs from
#   --probe-offset S  (probe role) start this host's probe S seconds past
#                   the minute (0-59) instead of on it, so that the
#                   locations are staggered: with 3 locations, 0, 20 and 40
#                   (docs/operators.md, "Staggered probe locations"); written
#                   as a drop-in, /etc/systemd/system/jabber-status-probe.timer.d/offset.conf
#
# What it makes (each only when missing):
#   user and group NAME (system user, no login shell)
#   /srv/jabber-status/content.git   bare repository, group-shared, hook installed
#   /srv/jabber-status/app           clone of it: the code the units run
#   /srv/jabber-status/site          the publish target (releases/, current)
#   /var/lib/jabber-status           trigger file, probe data, alert state (group-writable, setgid)
#   /var/www/jabber-status-probe     summary.json of a probe host
#   /var/www/letsencrypt             the ACME webroot
#   /etc/jabber-status/{probe,notify,alert}.env   every secret named, left empty (0640 root:NAME)
#   units in /etc/systemd/system (and the probe timer's offset drop-in),
#   nginx configuration in /etc/nginx
set -eu

ROLE=
PREFIX=
SVC_USER=jabber-status
DOMAIN=status.jabber.org
SKIP_NPM=
REPO_URL=
PROBE_OFFSET=
while [ $# -gt 0 ]; do
    case "$1" in
        --role) ROLE=${2:-}; shift 2 ;;
        --prefix) PREFIX=${2:-}; shift 2 ;;
        --user) SVC_USER=${2:-}; shift 2 ;;
        --domain) DOMAIN=${2:-}; shift 2 ;;
        --skip-npm) SKIP_NPM=1; shift ;;
        --repo) REPO_URL=${2:-}; shift 2 ;;
        --probe-offset) PROBE_OFFSET=${2:-}; shift 2 ;;
        -h|--help) sed -n '2,45p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$ROLE" in probe|build|web|all) ;; *) echo "install.sh: --role must be probe, build, web or all (see --help)" >&2; exit 2 ;; esac
case "$PROBE_OFFSET" in
    '') ;;
    [0-9]|[0-5][0-9]) ;;
    *) echo "install.sh: --probe-offset must be a whole number of seconds from 0 to 59 (e.g. 20 for the second of three locations), got \"$PROBE_OFFSET\"" >&2; exit 2 ;;
esac
# "08" is 8 (printf would read a leading zero as octal).
PROBE_OFFSET=$(echo "$PROBE_OFFSET" | sed 's/^0*\([0-9]\)/\1/')
if [ "$(id -u)" != 0 ]; then echo "install.sh: run it as root (sudo deploy/install.sh --role $ROLE): it creates a user and system files." >&2; exit 1; fi

SRC=$(cd "$(dirname "$0")/.." && pwd)
has() { [ "$ROLE" = all ] || [ "$ROLE" = "$1" ]; }
TODO=$(mktemp)
trap 'rm -f "$TODO"' EXIT
todo() { echo "  - $*" >> "$TODO"; }
say() { echo "install.sh: $*"; }
as_user() { runuser -u "$SVC_USER" -- "$@"; }

# The user and its group (the pushing group).
if ! getent group "$SVC_USER" >/dev/null; then groupadd --system "$SVC_USER"; say "created group $SVC_USER"; fi
if ! id -u "$SVC_USER" >/dev/null 2>&1; then
    useradd --system --gid "$SVC_USER" --home-dir /var/lib/jabber-status --no-create-home --shell /usr/sbin/nologin "$SVC_USER"
    say "created user $SVC_USER"
fi

# dir MODE OWNER:GROUP PATH: a folder with exactly this mode and owner.
dir() {
    mkdir -p "$PREFIX$3"
    chown "$2" "$PREFIX$3"
    chmod "$1" "$PREFIX$3"
}
dir 0755 root:root /srv/jabber-status
dir 2775 "$SVC_USER:$SVC_USER" /var/lib/jabber-status
dir 0750 "root:$SVC_USER" /etc/jabber-status

# env NAME: an env file with its variables, empty; never overwritten.
envfile() {
    f="$PREFIX/etc/jabber-status/$1"
    if [ -e "$f" ]; then return; fi
    cat > "$f"
    chown "root:$SVC_USER" "$f"
    chmod 0640 "$f"
    say "wrote $f (fill in the empty values)"
}

if has probe; then
    dir 2775 "$SVC_USER:$SVC_USER" /var/lib/jabber-status/probe-data
    dir 0755 "$SVC_USER:$SVC_USER" /var/www/jabber-status-probe
    envfile probe.env <<ENV
# jabber-status-probe.service (deploy/install.sh wrote this; edit freely).
# This probe host's location, as readers see it, e.g. ams, fra, nyc.
VANTAGE=
# The status site, watched for a publish loop that stopped (no trailing slash).
STATUS_URL=https://$DOMAIN
# A test account on the probed service for the logged-in checks (service
# discovery, contact addresses, version, pings, federation), e.g.
# status-probe@jabber.org; leave both empty to record those checks as not run.
PROBE_JID=
PROBE_PASSWORD=
ENV
    grep -q '^VANTAGE=.' "$PREFIX/etc/jabber-status/probe.env" || todo "set VANTAGE (e.g. ams), PROBE_JID and PROBE_PASSWORD in $PREFIX/etc/jabber-status/probe.env"
    todo "publish this location's summaries over HTTPS: deploy/nginx/probe-summary.conf as /etc/nginx/sites-available/jabber-status-probe (set server_name and the certificate), then list https://<this host>/summary.json in probes.sources (content/site.yaml) and /services.json in content/services/directory.yaml"
fi

# A probe-only host runs the units from its own checkout of the content
# repository (a build host makes it from content.git below): without it the
# probe timer fails every minute (found by a review of install.sh --role probe).
if has probe && ! has build && [ ! -d "$PREFIX/srv/jabber-status/app/.git" ]; then
    [ -n "$REPO_URL" ] || REPO_URL=$(git -C "$SRC" remote get-url origin 2>/dev/null || echo "$SRC")
    dir 0755 "$SVC_USER:$SVC_USER" /srv/jabber-status/app
    if ! as_user git clone --quiet "$REPO_URL" "$PREFIX/srv/jabber-status/app"; then
        echo "install.sh: could not clone $REPO_URL into $PREFIX/srv/jabber-status/app as $SVC_USER. Give the content repository's address with --repo URL (the build host's /srv/jabber-status/content.git), readable by $SVC_USER." >&2
        exit 1
    fi
    say "cloned the app into $PREFIX/srv/jabber-status/app from $REPO_URL"
fi
if has probe && ! has build && [ -z "$SKIP_NPM" ] && [ ! -d "$PREFIX/srv/jabber-status/app/node_modules" ]; then
    (cd "$PREFIX/srv/jabber-status/app" && as_user env HOME="$PREFIX/var/lib/jabber-status" npm_config_cache="$PREFIX/var/lib/jabber-status/.npm" npm ci --no-audit --no-fund)
    (cd "$PREFIX/srv/jabber-status/app" && as_user sh -c 'sha256sum package-lock.json > node_modules/.installed-lock.sha256')
    say "installed the app's dependencies (npm ci)"
fi

if has build; then
    dir 0755 "$SVC_USER:$SVC_USER" /srv/jabber-status/site
    if [ ! -d "$PREFIX/srv/jabber-status/content.git" ]; then
        git clone --quiet --bare --no-hardlinks "$SRC" "$PREFIX/srv/jabber-status/content.git"
        git -C "$PREFIX/srv/jabber-status/content.git" config core.sharedRepository group
        say "created $PREFIX/srv/jabber-status/content.git from $SRC"
    fi
    # Everyone in the group may push; files stay group-writable (setgid folders).
    chown -R "$SVC_USER:$SVC_USER" "$PREFIX/srv/jabber-status/content.git"
    chmod -R g+rwX "$PREFIX/srv/jabber-status/content.git"
    find "$PREFIX/srv/jabber-status/content.git" -type d -exec chmod g+s {} +
    sed "s#^TRIGGER=.*#TRIGGER=$PREFIX/var/lib/jabber-status/publish-now#" "$SRC/deploy/git/post-receive" > "$PREFIX/srv/jabber-status/content.git/hooks/post-receive"
    chmod 0775 "$PREFIX/srv/jabber-status/content.git/hooks/post-receive"
    touch "$PREFIX/var/lib/jabber-status/publish-now"
    chown "$SVC_USER:$SVC_USER" "$PREFIX/var/lib/jabber-status/publish-now"
    chmod 0664 "$PREFIX/var/lib/jabber-status/publish-now"
    if [ ! -d "$PREFIX/srv/jabber-status/app/.git" ]; then
        mkdir -p "$PREFIX/srv/jabber-status/app"
        chown "$SVC_USER:$SVC_USER" "$PREFIX/srv/jabber-status/app"
        as_user git clone --quiet "$PREFIX/srv/jabber-status/content.git" "$PREFIX/srv/jabber-status/app"
        say "cloned the app into $PREFIX/srv/jabber-status/app"
    fi
    # Admins push into a repository owned by the service user: trust it for
    # every user of this host, or git stops the push ("dubious ownership").
    GIT_CONFIG_SYSTEM="$PREFIX/etc/gitconfig" git config --system --get-all safe.directory 2>/dev/null | grep -qx "$PREFIX/srv/jabber-status/content.git" ||
        GIT_CONFIG_SYSTEM="$PREFIX/etc/gitconfig" git config --system --add safe.directory "$PREFIX/srv/jabber-status/content.git"
    if [ -z "$SKIP_NPM" ] && [ ! -d "$PREFIX/srv/jabber-status/app/node_modules" ]; then
        (cd "$PREFIX/srv/jabber-status/app" && as_user env HOME="$PREFIX/var/lib/jabber-status" npm_config_cache="$PREFIX/var/lib/jabber-status/.npm" npm ci --no-audit --no-fund)
        # What the units check before reinstalling (ExecStartPre): the lockfile that was installed.
        (cd "$PREFIX/srv/jabber-status/app" && as_user sh -c 'sha256sum package-lock.json > node_modules/.installed-lock.sha256')
        say "installed the app's dependencies (npm ci)"
    fi
    envfile notify.env <<'ENV'
# npm run notify (jabber-status-publish.service). The variables content/site.yaml
# names in its notify block (…Env); leave a channel's empty if it is not used.
NOTIFY_XMPP_PASSWORD=
NOTIFY_SMTP_PASSWORD=
NOTIFY_WEBHOOK_SECRET=
ENV
    todo "fill in $PREFIX/etc/jabber-status/notify.env (the secrets content/site.yaml's notify block names)"
    todo "start from an empty site in a clone of $PREFIX/srv/jabber-status/content.git: npm run site:empty, add your probe hosts, commit, push"
    todo "let admins push: adduser <admin> $SVC_USER; they push to ssh://<this host>$PREFIX/srv/jabber-status/content.git"
fi

if has build || has probe; then
    envfile alert.env <<'ENV'
# Alerts to the admins (npm run alert, npm run alert:watch). Fill in at least
# one path that does not depend on jabber.org. README, "Alerts to the admins".
# XMPP direct messages: the sending account, its password, admin JIDs (comma-separated),
# and optionally HOST:PORT to connect to instead of DNS.
ALERT_XMPP_JID=
ALERT_XMPP_PASSWORD=
ALERT_XMPP_TO=
ALERT_XMPP_SERVER=
# Mail: smtp://user:password@relay.example.net:587, sender and recipient.
ALERT_SMTP_URL=
ALERT_MAIL_FROM=
ALERT_MAIL_TO=
# A webhook (Standard Webhooks signature when the secret is set).
ALERT_WEBHOOK_URL=
ALERT_WEBHOOK_SECRET=
ENV
    grep -q '^ALERT_[A-Z_]*=.' "$PREFIX/etc/jabber-status/alert.env" || todo "set at least one alert path in $PREFIX/etc/jabber-status/alert.env"
fi

# Units.
UNITS=
has probe && UNITS="$UNITS jabber-status-probe.service jabber-status-probe.timer jabber-status-probe-services.service jabber-status-probe-services.timer"
has build && UNITS="$UNITS jabber-status-publish.service jabber-status-publish.timer jabber-status-publish.path jabber-status-follow.service jabber-status-contact.service"
mkdir -p "$PREFIX/etc/systemd/system"
for u in $UNITS; do
    install -m 0644 "$SRC/deploy/systemd/$u" "$PREFIX/etc/systemd/system/$u"
done
[ -n "$UNITS" ] && say "installed units:$UNITS"

# Staggered probe locations (issue 28): this host's probe starts
# PROBE_OFFSET seconds past the minute. A drop-in, so the shipped timer
# stays as it is and the offset survives its updates.
if has probe && [ -n "$PROBE_OFFSET" ]; then
    mkdir -p "$PREFIX/etc/systemd/system/jabber-status-probe.timer.d"
    OFFSET_CONF="$PREFIX/etc/systemd/system/jabber-status-probe.timer.d/offset.conf"
    WANT=$(printf '# deploy/install.sh --probe-offset %s: this location probes %s s past each minute,\n# so the locations are spread over the minute (docs/operators.md, "Staggered probe locations").\n[Timer]\nOnCalendar=\nOnCalendar=*-*-* *:*:%02d\n' "$PROBE_OFFSET" "$PROBE_OFFSET" "$PROBE_OFFSET")
    if [ "$(cat "$OFFSET_CONF" 2>/dev/null)" != "$WANT" ]; then
        printf '%s\n' "$WANT" > "$OFFSET_CONF"
        say "probe timer: $PROBE_OFFSET s past each minute ($OFFSET_CONF)"
    fi
fi

# nginx: the HTTP bootstrap until the certificate exists, then HTTPS.
if has web; then
    dir 0755 root:root /var/www/letsencrypt
    mkdir -p "$PREFIX/etc/nginx/snippets" "$PREFIX/etc/nginx/sites-available" "$PREFIX/etc/nginx/sites-enabled"
    cp -r "$SRC/deploy/nginx/snippets/jabber-status" "$PREFIX/etc/nginx/snippets/"
    if [ -s "$PREFIX/etc/letsencrypt/live/$DOMAIN/fullchain.pem" ]; then
        CONF=status.jabber.org.conf
    else
        CONF=status.jabber.org.bootstrap.conf
        todo "get the certificate: certbot certonly --webroot -w /var/www/letsencrypt -d $DOMAIN; then run this script again (it switches nginx to HTTPS)"
    fi
    # Under --prefix, the absolute paths move with it, so nginx -t can test the result.
    sed -e "s/status\.jabber\.org/$DOMAIN/g" -e "s#\(root\|alias\|ssl_certificate\|ssl_certificate_key\) /#\1 $PREFIX/#" "$SRC/deploy/nginx/$CONF" > "$PREFIX/etc/nginx/sites-available/$DOMAIN"
    ln -sfn "../sites-available/$DOMAIN" "$PREFIX/etc/nginx/sites-enabled/$DOMAIN"
    say "nginx: $CONF as sites-available/$DOMAIN"
fi

if [ -z "$PREFIX" ]; then
    systemctl daemon-reload
    has probe && systemctl enable --now jabber-status-probe.timer jabber-status-probe-services.timer
    has build && systemctl enable --now jabber-status-publish.timer jabber-status-publish.path jabber-status-follow.service
    if has web; then nginx -t && systemctl reload nginx; fi
else
    todo "(--prefix) nothing was enabled or reloaded: systemctl daemon-reload; systemctl enable --now the timers; nginx -t && systemctl reload nginx"
fi

echo "install.sh: done (role $ROLE). Left to do by hand:"
if [ -s "$TODO" ]; then sort -u "$TODO"; else echo "  nothing"; fi
echo "Then check it: sudo -u $SVC_USER npm run doctor -- --site /srv/jabber-status/site (in /srv/jabber-status/app)"
