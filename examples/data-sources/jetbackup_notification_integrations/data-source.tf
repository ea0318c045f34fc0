# Every e-mail notification integration on the server.
data "jetbackup_notification_integrations" "email" {
  type = "email"
}

output "email_integration_ids" {
  value = data.jetbackup_notification_integrations.email.ids
}
