# A notification integration is imported by its JetBackup ID (_id, 24
# hexadecimal digits), as shown by
# `jetbackup5api -F listNotificationIntegrations -O json`.
terraform import jetbackup_notification_integration.ops 6509fbecaa590ab6b3060b32
