"""Settings: SQLite under FANARCHIVE_HOME by default; DATABASE_URL switches to PostgreSQL.

Every setting has a safe default, so nothing needs configuring to run. Each environment variable
read here is documented in docs/settings.md (a test checks that)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from fanarchive import datadir
from fanarchive.domain.embeds import frame_sources


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


_WEB = Path(__file__).resolve().parent / "archive" / "web"
# Made here only for commands that may create an archive; reading ones refuse a folder without one.
HOME = datadir.open_home(Path(os.environ.get("FANARCHIVE_HOME", datadir.DEFAULT_HOME)))
# A key kept beside the data survives restarts without anyone having to configure one.
SECRET_KEY = os.environ.get("FANARCHIVE_SECRET_KEY") or datadir.secret_key(HOME)
DEBUG = _env_bool("FANARCHIVE_DEBUG")
SITE_NAME = os.environ.get("FANARCHIVE_SITE_NAME", "fanarchive")
# Absolute URLs in downloads, feeds and mail (the `dc:source` of an EPUB) are built on this; empty,
# on the origin each request asked for (archive/site_origin.py).
SITE_URL = os.environ.get("FANARCHIVE_SITE_URL", "").rstrip("/")
# The public host is answered to as well as the local names, unless the hosts are listed outright.
_HOSTS = ",".join(["127.0.0.1", "localhost", "[::1]", *filter(None, [urlsplit(SITE_URL).hostname])])
ALLOWED_HOSTS = [
    host.strip() for host in os.environ.get("FANARCHIVE_ALLOWED_HOSTS", _HOSTS).split(",") if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "csp",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Serves /api/docs's Swagger UI from our own static files: the CSP refuses a CDN's scripts.
    "ninja",
    "fanarchive.archive",
]

# The header middlewares come before WhiteNoise so that static files carry them too; axes last, as
# its documentation asks, to turn a locked-out log-in into its answer.
MIDDLEWARE = [
    # First, so that its timings cover every other middleware's work too.
    "fanarchive.archive.observability.request_log.RequestObservationMiddleware",
    # Before any work is done for a request that already waited too long (it is still logged).
    "fanarchive.archive.web.load_shedding.LoadSheddingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "fanarchive.archive.site_origin.SiteOriginMiddleware",
    # Cached pages for readers with no session are answered here, before every middleware below
    # (it does the CSRF cookie and the 304 itself): after the https redirect and the origin that
    # links in pages are written on, which are part of what it keys pages on.
    "fanarchive.archive.pagecache.middleware.AnonymousPageCacheMiddleware",
    # Answers If-None-Match with 304 for any page carrying an ETag (the page cache sets them).
    "django.middleware.http.ConditionalGetMiddleware",
    # ETags for logged-in members' pages that survive the CSRF masking (archive/web/conditional.py).
    "fanarchive.archive.web.conditional.MemberETagMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a logged-in session is counted per account.
    "fanarchive.archive.api.ratelimit.ApiRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
    # The content version fragments are keyed on, read before any view's queries (archive/web/fragments.py).
    "fanarchive.archive.web.fragments.FragmentVersionMiddleware",
]

ROOT_URLCONF = "fanarchive.urls"
WSGI_APPLICATION = "fanarchive.wsgi.application"
AUTH_USER_MODEL = "archive.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [_WEB / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fanarchive.archive.web.context.site",
                "fanarchive.archive.web.context.inbox",
                # After Django's own CSRF processor, whose csrf_token it replaces on pages being cached.
                "fanarchive.archive.pagecache.csrf.csrf_placeholder",
            ],
        },
    }
]


def _databases() -> dict[str, dict[str, object]]:
    if url := os.environ.get("DATABASE_URL"):
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        databases = {"default": config}
        if replica_url := os.environ.get("FANARCHIVE_DATABASE_REPLICA_URL"):
            # A streaming replica of the same database: reads go there (archive/db_router.py).
            parsed = dj_database_url.parse(replica_url, conn_max_age=60, conn_health_checks=True)
            replica: dict[str, object] = dict(parsed)
            # A replica that stopped answering costs a page this long at most before the primary.
            replica["OPTIONS"] = {"connect_timeout": 2, **(parsed.get("OPTIONS") or {})}
            replica["TEST"] = {"MIRROR": "default"}
            databases["replica"] = replica
        return databases
    datadir.private_file(HOME / "fanarchive.sqlite3")
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "fanarchive.sqlite3",
            # Kept between requests: opening a connection (four PRAGMAs) and closing it (a WAL
            # checkpoint when it is the last) cost 4 ms of every page not served from the page cache.
            # A restore replaces the file, so the server is stopped for it (docs/production.md).
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # WAL lets readers run while the one writer writes; IMMEDIATE takes the write lock at
                # BEGIN, so two writers queue on busy_timeout instead of failing mid-transaction.
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }


DATABASES = _databases()
if "replica" in DATABASES:
    DATABASE_ROUTERS = ["fanarchive.archive.db_router.PrimaryReplicaRouter"]
    # Innermost, after the page cache's: it reads the mark the page cache sets on pages it stores.
    MIDDLEWARE.append("fanarchive.archive.db_router.ReadRoutingMiddleware")
# A browser that wrote reads from the primary this long after (read-your-writes over replica lag).
READ_YOUR_WRITES_SECONDS = int(os.environ.get("FANARCHIVE_READ_YOUR_WRITES_SECONDS", "5"))

# tantivy (embedded, the default), postgres (PostgreSQL full-text search) or memory (tests).
SEARCH_BACKEND = os.environ.get("FANARCHIVE_SEARCH_BACKEND", "tantivy")
# The postgres backend's database (the archive's own when unset) and the schema its tables live in.
SEARCH_DATABASE_URL = os.environ.get("FANARCHIVE_SEARCH_DATABASE_URL")
SEARCH_POSTGRES_SCHEMA = os.environ.get("FANARCHIVE_SEARCH_SCHEMA")
# Index changes inside the request that reads the index, instead of in the indexer process: for
# tests and single-process use only (one writer may hold the index at a time).
SEARCH_INDEX_IMMEDIATELY = _env_bool("FANARCHIVE_SEARCH_IMMEDIATE")

# Each imported file is read in a worker process that gets this long and this much memory.
IMPORT_TIMEOUT = float(os.environ.get("FANARCHIVE_IMPORT_TIMEOUT", "10"))
IMPORT_MEMORY_MB = int(os.environ.get("FANARCHIVE_IMPORT_MEMORY_MB", "512"))
# The largest file an author may upload as a draft (/works/new/upload); read under the limits above.
UPLOAD_MAX_MB = int(os.environ.get("FANARCHIVE_UPLOAD_MAX_MB", "10"))
# Webhooks may point at loopback and private networks (for tests and closed networks): off, since
# otherwise any member could make the server call addresses inside its own network.
WEBHOOK_ALLOW_PRIVATE = _env_bool("FANARCHIVE_WEBHOOK_ALLOW_PRIVATE")

_redis_url = os.environ.get("FANARCHIVE_REDIS_URL")
# Redis, when set, is shared by every web and worker node: the task queue, the caches and the page
# version (archive/pagecache/versions.py).
REDIS_URL = _redis_url or ""
# Whole pages for anonymous readers are kept this long at most (0: no page cache). Changes never wait
# for it: they replace the version pages are stored under. Hit counts on a cached page may be this old.
PAGE_CACHE_SECONDS = int(os.environ.get("FANARCHIVE_PAGE_CACHE_SECONDS", "600"))
# A request that waited longer than this for a worker thread is answered 503 with Retry-After
# (archive/web/load_shedding.py): past capacity, the queue would otherwise grow until clients time out.
LOAD_SHED_QUEUE_MS = int(os.environ.get("FANARCHIVE_LOAD_SHED_QUEUE_MS", "1000"))
LOAD_SHED_RETRY_AFTER = int(os.environ.get("FANARCHIVE_LOAD_SHED_RETRY_AFTER", "2"))
CACHES: dict[str, dict[str, Any]] = (
    {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url},
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "pages",
        },
    }
    if _redis_url
    else {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # A folder, not process memory: every gunicorn worker serves the pages any of them stored.
        "pages": {
            "BACKEND": "fanarchive.archive.pagecache.filestore.PageFileCache",
            "LOCATION": str(HOME / "cache" / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
    }
)
if _redis_url:
    # Sessions in Redis too: any web node answers any logged-in reader, with no session table.
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    datadir.private_file(HOME / "tasks.sqlite3")
HUEY = {
    "name": "fanarchive",
    "immediate": _env_bool("FANARCHIVE_TASKS_IMMEDIATE"),
    **(
        {"huey_class": "huey.RedisHuey", "url": _redis_url}
        if _redis_url
        else {"huey_class": "huey.SqliteHuey", "filename": str(HOME / "tasks.sqlite3")}
    ),
}

LANGUAGE_CODE = "en-us"
# Scheduled posting reads typed times, and pages show times, in this zone; dates (published,
# updated) are this zone's days.
TIME_ZONE = os.environ.get("FANARCHIVE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [_WEB / "static"]
# WhiteNoise warns about a missing STATIC_ROOT even though it serves from the finders.
STATIC_ROOT.mkdir(exist_ok=True)
# Serve app static files straight from the package: no collectstatic step before `serve`.
WHITENOISE_USE_FINDERS = True
# Files every node must see (docs/scaling.md, "Shared files"): the made downloads and the API import
# jobs' uploads. Folders under FANARCHIVE_HOME by default, where archives have always kept them; with
# FANARCHIVE_S3_BUCKET, the same names under two prefixes of one bucket through django-storages, the
# endpoint, region and credentials coming from boto3's own AWS_* variables and files.
_S3_BUCKET = os.environ.get("FANARCHIVE_S3_BUCKET", "").strip()


def _shared_files(folder: str) -> dict[str, Any]:
    if not _S3_BUCKET:
        return {"BACKEND": "fanarchive.archive.shared_files.HomeFolderStorage", "OPTIONS": {"folder": folder}}
    options = {
        "bucket_name": _S3_BUCKET,
        "location": folder,
        # A download or an upload is written once under a name nobody else uses for other bytes.
        "file_overwrite": True,
        # Objects are private: nodes read them through the API, readers never get their URLs.
        "default_acl": None,
        # An object being read is spooled to a temporary file past this, not held whole in memory.
        "max_memory_size": 2 * 1024 * 1024,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": HOME / "media"},
    },
    # Hashed names and gzip/Brotli copies, made by the collectstatic `serve` runs when files change.
    "staticfiles": {"BACKEND": "fanarchive.archive.web.staticfiles.ArchiveStaticStorage"},
    "exports": _shared_files("downloads"),
    "uploads": _shared_files("api-jobs"),
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# No inline script or style anywhere: pages load only the site's own files. Images in works may
# come from other https hosts, as on AO3. docs/production.md says what each directive stops.
# Podfic and fanvids: audio and video files from any https host (AO3 admits any), players framed
# only from the hosts the sanitiser admits (domain/embeds.py), https only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "media-src": ["https:"],
        "frame-src": frame_sources(),
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Behind a TLS proxy (FANARCHIVE_SECURE=1, or an https FANARCHIVE_SITE_URL): HSTS, redirect plain
# http, Secure cookies, and trust the proxy's X-Forwarded-Proto. Off, plain http on 127.0.0.1 works.
SECURE = _env_bool("FANARCHIVE_SECURE", SITE_URL.startswith("https://"))
if SECURE:
    SECURE_SSL_REDIRECT = True
    # A load balancer or systemd probe asks the health endpoint over plain http on loopback.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("FANARCHIVE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The header only allows a submission to the browsers' preload list; nobody is submitted.
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []
# Behind a proxy that passes the public host (and port) in X-Forwarded-Host rather than in Host: links
# are written for that host. Off unless the proxy sets that header itself, or clients could forge it.
USE_X_FORWARDED_HOST = _env_bool("FANARCHIVE_PROXY_HOST_HEADER")

# Failed log-ins (the admin's and any other) are counted by django-axes per client address and
# per user name: the fifth failure locks that address or name out for 15 minutes (429, Retry-After).
AUTHENTICATION_BACKENDS = [
    "fanarchive.archive.web.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Log-in by user name or e-mail address (the site's log-in page); the admin's goes through either.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "fanarchive.archive.web.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "fanarchive.archive.web.security.client_ip"
# The site's log-in form names its field `login` (a user name or an address): counted under that.
AXES_USERNAME_CALLABLE = "fanarchive.archive.accounts.throttle.login_name"

# --- Accounts: django-allauth (docs/accounts.md) ---
# open (anyone may sign up), closed (nobody), invite (visitors join a queue; staff send invitations).
SIGNUP_MODE = os.environ.get("FANARCHIVE_SIGNUP", "open").strip().lower()
if SIGNUP_MODE not in {"open", "closed", "invite"}:
    raise ValueError(f"FANARCHIVE_SIGNUP must be open, closed or invite, not {SIGNUP_MODE!r}")
ACCOUNT_ADAPTER = "fanarchive.archive.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# One address per account, as on AO3: a new one replaces the old once confirmed.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE else "http"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_USERNAME_BLACKLIST = ["orphan_account", "admin", "administrator", "staff", "support"]
# POSTs counted per client address (ip), per typed address or name (key) or per user; over the
# limit the answer is 429 with Retry-After (accounts/throttle.py). Counts live in the cache.
# Failed log-ins are django-axes' to count (above), for this log-in and the admin's alike: a second
# counter would lock out at its own time and answer a form error instead of 429.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": None,
    "signup": "10/m/ip,30/h/ip",
    "reset_password": "10/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
    # What readers leave (archive/web/ratelimits.py): members counted per account, guests per address.
    "kudos": "20/m/user,200/h/user",
    "kudos_guest": "10/m/ip,100/h/ip",
    # Comments: a member per account, and every poster (members too) per client address.
    "comment": "5/m/user,60/h/user",
    "comment_ip": "10/m/ip,100/h/ip",
    # Bookmarks are members' alone: counted per account (made, changed or deleted).
    "bookmark": "10/m/user,100/h/user",
    # Reports to staff: members per account, guests per address.
    "report": "5/m/user,30/h/user",
    "report_guest": "3/m/ip,20/h/ip",
    # The API (archive/api/ratelimit.py): per token (or logged-in account), and per address without.
    "api": "300/m/key,10000/h/key",
    "api_guest": "60/m/ip,1000/h/ip",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_ADAPTER = "fanarchive.archive.accounts.adapter.MFAAdapter"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Hashes made before Argon2 still verify, and are rehashed to Argon2 at the next log-in.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# E-mail. Embedded mode writes each message as a file under FANARCHIVE_HOME/mail (read them with
# `fanarchive mail`); FANARCHIVE_EMAIL_URL sends through an SMTP server instead:
# smtp://user:password@host:25, smtp+starttls://...:587 or smtps://...:465.
MAIL_DIR = HOME / "mail"
_email_url = urlsplit(os.environ.get("FANARCHIVE_EMAIL_URL", "file:"))
if _email_url.scheme in {"smtp", "smtp+starttls", "smtps"}:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email_url.hostname or "localhost"
    EMAIL_USE_SSL = _email_url.scheme == "smtps"
    EMAIL_USE_TLS = _email_url.scheme == "smtp+starttls"
    EMAIL_PORT = _email_url.port or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
    EMAIL_HOST_USER = unquote(_email_url.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email_url.password or "")
    EMAIL_TIMEOUT = 20
elif _email_url.scheme == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email_url.scheme == "file":
    EMAIL_BACKEND = "fanarchive.archive.accounts.mailfiles.MailDirBackend"
else:
    raise ValueError(
        "FANARCHIVE_EMAIL_URL must start with smtp://, smtp+starttls://, smtps://, console: or file:"
    )
DEFAULT_FROM_EMAIL = os.environ.get(
    "FANARCHIVE_EMAIL_FROM", f"{SITE_NAME} <noreply@{urlsplit(SITE_URL).hostname or 'localhost'}>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# "json": one JSON object per line, a line per request among them (observability/request_log.py).
LOG_FORMAT = os.environ.get("FANARCHIVE_LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"FANARCHIVE_LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "fanarchive.archive.observability.request_log.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("FANARCHIVE_LOG_LEVEL", "WARNING")},
    # The request lines are the point of the JSON format, whatever the level set for the rest.
    "loggers": {"fanarchive.requests": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"}},
}
# Who may read /metrics without logging in as staff: comma-separated addresses or networks.
METRICS_NETWORKS = [
    net.strip()
    for net in os.environ.get("FANARCHIVE_METRICS_NETWORKS", "127.0.0.1/32,::1/128").split(",")
    if net.strip()
]
