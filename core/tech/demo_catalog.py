"""The tech demo's cast: the services each business runs, the billed resources outside the
inventory, the security findings and the delivery targets (``core.tech.demo`` writes them).
"""

from __future__ import annotations

from dataclasses import dataclass

# month-of-year traffic of the booking site (Jan..Dec), as the charter season
BOOKING_SEASON = [0.6, 0.65, 0.75, 0.85, 1.0, 1.3, 1.5, 1.45, 1.1, 0.9, 0.7, 0.7]

MAYA, SAM, PRIYA, DIEGO, LENA = (
    "Maya Chen",
    "Sam Ortiz",
    "Priya Natarajan",
    "Diego Alvarez",
    "Lena Brooks",
)


@dataclass(frozen=True)
class DemoService:
    """A service of the demo inventory and how it costs, ships and ages."""

    entity: str
    name: str
    kind: str
    family: str | None  # runtime family; None for SaaS
    eol_offset: int  # days from today to the wanted end of life (picks the release)
    owner: str
    monthly_cents: int
    resource: str | None = None  # the billed cloud resource (None for SaaS)
    repo: str | None = None
    commits_per_day: float = 0.0
    deploy_chance: tuple[float, float] = (0.0, 0.0)  # per workday, RAMP_DAYS ago -> today
    authors: tuple[str, ...] = ()
    launched_ago: int | None = None  # months before today's month; None: before the demo
    retired_ago_days: int | None = None
    seasonal: bool = False
    growth: float = 0.01  # cost growth per month


SERVICES = [
    DemoService("DangerousCentaur", "client-portal", "web app", "python", 700, MAYA, 210_00,
             "client-portal (ECS Fargate service)", "dangerouscentaur/client-portal", 2.2,
             (0.3, 0.75), (MAYA, SAM, PRIYA)),
    DemoService("DangerousCentaur", "dc-website", "web app", "nodejs", -570, SAM, 45_00,
             "dc-website (Amplify app)", "dangerouscentaur/website", 0.5, (0.1, 0.15), (SAM,)),
    DemoService("DangerousCentaur", "invoice-worker", "Lambda", "python", -390, PRIYA, 12_00,
             "invoice-worker (Lambda function)", "dangerouscentaur/invoice-worker", 0.3,
             (0.08, 0.1), (PRIYA,)),
    DemoService("DangerousCentaur", "report-generator", "Lambda", "python", 1070, MAYA, 28_00,
             "report-generator (Lambda function)", "dangerouscentaur/report-generator", 1.2,
             (0.35, 0.5), (MAYA, PRIYA), launched_ago=5),
    DemoService("DangerousCentaur", "projects-db", "database", "postgres", 350, PRIYA, 165_00,
             "projects-db (RDS db.t4g.large)"),
    DemoService("DangerousCentaur", "staging-env", "web app", "python", 340, SAM, 140_00,
             "staging-env (ECS Fargate service)", growth=0.0),
    DemoService("DangerousCentaur", "GitHub", "SaaS", None, 0, PRIYA, 84_00, growth=0.02),
    DemoService("DangerousCentaur", "Sentry", "SaaS", None, 0, MAYA, 26_00, growth=0.0),
    DemoService("QueenofSanDiego", "booking-site", "web app", "nodejs", 155, DIEGO, 95_00,
             "booking-site (ECS Fargate service)", "queenofsandiego/booking-site", 1.0,
             (0.3, 0.6), (DIEGO, MAYA), seasonal=True),
    DemoService("QueenofSanDiego", "booking-api", "Lambda", "python", 340, DIEGO, 38_00,
             "booking-api (Lambda function)", "queenofsandiego/booking-api", 0.8, (0.3, 0.6),
             (DIEGO, MAYA), seasonal=True),
    DemoService("QueenofSanDiego", "payment-webhooks", "Lambda", "nodejs", -1170, DIEGO, 6_00,
             "payment-webhooks (Lambda function)", "queenofsandiego/payment-webhooks", 0.2,
             (0.05, 0.08), (DIEGO,), seasonal=True),
    DemoService("QueenofSanDiego", "bookings-db", "database", "postgres", -375, DIEGO, 120_00,
             "bookings-db (RDS db.t4g.medium)"),
    DemoService("QueenofSanDiego", "reminder-sms", "Lambda", "python", 700, MAYA, 9_00,
             "reminder-sms (Lambda function)", "queenofsandiego/reminder-sms", 0.2, (0.05, 0.1),
             (MAYA,), seasonal=True),
    DemoService("QueenofSanDiego", "legacy-booking-php", "web app", "php", -700, DIEGO, 35_00,
             "legacy-booking-php (EC2 t3.small)", retired_ago_days=240),
    DemoService("QueenofSanDiego", "Twilio", "SaaS", None, 0, DIEGO, 45_00, seasonal=True),
    DemoService("QuickDumpNow", "quote-form", "Lambda", "python", 1070, SAM, 4_00,
             "quote-form (Lambda function)", "quickdumpnow/quote-form", 0.15, (0.05, 0.08),
             (SAM,)),
    DemoService("QuickDumpNow", "Jobber", "SaaS", None, 0, LENA, 69_00, growth=0.0),
    DemoService("JADA", "yacht-tracker", "Lambda", "python", 340, LENA, 3_00,
             "yacht-tracker (Lambda function)", "jada/yacht-tracker", 0.1, (0.03, 0.05), (LENA,)),
    DemoService("51st-St", "listing-site", "web app", "php", 37, LENA, 18_00,
             "listing-site (Lightsail instance)", "51st-st/listing-site", 0.05, (0.02, 0.03),
             (LENA,), growth=0.0),
    DemoService("ExpertYachtDelivery", "delivery-tracker", "web app", "ruby", 127, SAM, 22_00,
             "delivery-tracker (Lightsail instance)", "expertyachtdelivery/delivery-tracker",
             0.3, (0.06, 0.12), (SAM, LENA)),
]  # fmt: skip


@dataclass(frozen=True)
class DemoExtra:
    """A billed resource outside the inventory, idle from some month on."""

    entity: str
    resource: str
    service: str  # cost line
    monthly_cents: int
    since_ago: int  # months before today's month when it starts being billed
    idle_ago: int  # months before today's month when it goes idle


EXTRAS = [
    DemoExtra("DangerousCentaur", "vol-0c41e7 unattached EBS volume (500 GiB gp3)", "EC2-Other",
           40_00, 9, 9),
    DemoExtra("QueenofSanDiego", "nat-gateway-dev (us-west-2)", "Amazon VPC", 33_00, 14, 3),
    DemoExtra("QueenofSanDiego", "bookings-db-replica (RDS db.t4g.medium read replica)",
           "bookings-db", 58_00, 7, 7),
]  # fmt: skip
RAMP_DAYS = 540  # deploys get more frequent over the last 18 months (CI/CD adoption)
STAGING_IDLE_AGO = 4  # the staging environment stops being used 4 months before today
BOOKINGS_DB_RESIZE_AGO = 4  # and the bookings database is resized up then

# entity, service, title, fix, severity, age in days, days to fix (None: not fixed), status
FINDINGS: list[tuple[str, str, str, str, str, int, int | None, str]] = [
    ("DangerousCentaur", "invoice-worker", "Invoice PDF bucket allows public listing",
     "Turn on S3 Block Public Access for the bucket and serve invoices through pre-signed URLs.",
     "critical", 40, None, "in_progress"),
    ("DangerousCentaur", "invoice-worker", "Execution role has AdministratorAccess",
     "Replace AdministratorAccess with a policy limited to the invoices bucket and its queue.",
     "high", 75, None, "open"),
    ("DangerousCentaur", "client-portal", "Django DEBUG is on in production",
     "Set DEBUG to False and serve failures from the generic error page.",
     "high", 300, 6, "fixed"),
    ("DangerousCentaur", "client-portal", "No rate limit on the login form",
     "Limit login attempts to 10 per address per 15 minutes and lock repeated failures out.",
     "medium", 120, None, "open"),
    ("DangerousCentaur", "client-portal", "No Content-Security-Policy header",
     "Send a Content-Security-Policy that allows scripts only from the portal's own origin.",
     "medium", 400, 45, "fixed"),
    ("DangerousCentaur", "projects-db", "Security group open to 0.0.0.0/0 on port 5432",
     "Allow port 5432 only from the application subnets and the bastion host.",
     "critical", 200, 2, "fixed"),
    ("DangerousCentaur", "projects-db", "Automated backups kept for 1 day only",
     "Raise backup retention to 14 days and test a restore every quarter.",
     "medium", 90, None, "in_progress"),
    ("DangerousCentaur", "GitHub", "Two-factor authentication not required",
     "Require two-factor authentication in the organization's security settings.",
     "high", 25, None, "open"),
    ("DangerousCentaur", "dc-website", "npm audit reports 3 high-severity vulnerabilities",
     "Upgrade the flagged packages and run npm audit in the CI pipeline.",
     "high", 150, None, "open"),
    ("DangerousCentaur", "report-generator", "Function logs include client email addresses",
     "Mask email addresses before logging and keep the log group for 90 days.",
     "low", 20, None, "open"),
    ("DangerousCentaur", "staging-env", "Staging runs on a copy of production data",
     "Seed staging from anonymized fixtures and delete the production copy.",
     "medium", 250, 30, "fixed"),
    ("QueenofSanDiego", "payment-webhooks", "Stripe webhook signatures are not verified",
     "Verify the Stripe-Signature header with the endpoint secret before handling an event.",
     "critical", 10, None, "open"),
    ("QueenofSanDiego", "payment-webhooks", "Stripe secret key in a plain environment variable",
     "Move the key to Secrets Manager and read it at cold start.",
     "high", 180, 20, "fixed"),
    ("QueenofSanDiego", "booking-site", "TLS 1.0 and 1.1 still accepted",
     "Set the load balancer's TLS policy to ELBSecurityPolicy-TLS13-1-2-2021-06.",
     "medium", 60, None, "open"),
    ("QueenofSanDiego", "booking-site", "No Strict-Transport-Security header",
     "Send Strict-Transport-Security with a max-age of one year on every response.",
     "low", 35, None, "open"),
    ("QueenofSanDiego", "booking-api", "Function URL has no authentication",
     "Require AWS_IAM auth on the function URL, or route it through the API gateway.",
     "high", 500, 3, "fixed"),
    ("QueenofSanDiego", "bookings-db", "Storage not encrypted at rest",
     "Restore from an encrypted snapshot copy and point the booking API at the new instance.",
     "high", 340, None, "in_progress"),
    ("QueenofSanDiego", "Twilio", "One admin login shared by three people",
     "Give each person their own Twilio user and remove the shared login.",
     "medium", 220, 40, "fixed"),
    ("QuickDumpNow", "quote-form", "Quote form accepts unlimited submissions",
     "Add a per-address rate limit and a CAPTCHA to the quote form.",
     "medium", 50, None, "open"),
    ("51st-St", "listing-site", "Contact-form plugin has a published SQL injection",
     "Update the plugin to its current release and turn on automatic plugin updates.",
     "high", 15, None, "open"),
    ("ExpertYachtDelivery", "delivery-tracker", "Admin pages reachable without signing in",
     "Put the admin routes behind the sign-in check and add a test for each route.",
     "critical", 130, 1, "fixed"),
    ("JADA", "yacht-tracker", "AIS provider API key committed to the repository",
     "Rotate the key, keep it in Secrets Manager and purge it from the git history.",
     "high", 5, None, "open"),
]  # fmt: skip

# scope key -> kpi id -> target (every demo month)
TARGETS: dict[str, dict[str, float]] = {
    "all": {"lead_time_hours": 48.0, "deploys_per_week": 10.0},
    "DangerousCentaur": {"lead_time_hours": 48.0, "deploys_per_week": 5.0},
    "QueenofSanDiego": {"lead_time_hours": 48.0, "deploys_per_week": 2.0},
}
ZERO_TARGETS = ("critical_findings", "eol_services")  # every scope: none is the goal
