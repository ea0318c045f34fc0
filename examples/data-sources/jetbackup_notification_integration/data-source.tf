# The e-mail notification a fresh JetBackup server comes with.
data "jetbackup_notification_integration" "default" {
  name = "Default Email Notification"
}

output "default_recipients" {
  value = data.jetbackup_notification_integration.default.recipients
}
