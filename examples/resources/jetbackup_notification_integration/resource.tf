# Failures by e-mail as they happen, everything else in a daily digest,
# through the server's local mail.
resource "jetbackup_notification_integration" "ops" {
  name        = "Ops e-mail"
  type        = "email"
  recipients  = ["ops@example.com"]
  critical    = "realtime"
  warning     = "daily"
  information = "daily"
}

# The same through an SMTP server; the password comes from a sensitive
# variable (TF_VAR_smtp_password).
variable "smtp_password" {
  type      = string
  sensitive = true
}

resource "jetbackup_notification_integration" "smtp" {
  name            = "Ops e-mail (SMTP)"
  type            = "email"
  recipients      = ["ops@example.com", "oncall@example.com"]
  smtp_host       = "smtp.example.com"
  smtp_port       = 587
  smtp_security   = "tls"
  smtp_from       = "jetbackup@example.com"
  smtp_username   = "jetbackup@example.com"
  smtp_password   = var.smtp_password
  smtp_verify_ssl = true
}

# Every alert to syslog (needs JetBackup's Syslog notification plugin).
resource "jetbackup_notification_integration" "syslog" {
  name = "Syslog"
  type = "syslog"
}
