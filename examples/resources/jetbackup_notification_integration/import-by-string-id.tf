# Terraform 1.5 and later: an import block. Without a matching resource block,
# `terraform plan -generate-config-out=generated.tf` writes its configuration
# from the integration as JetBackup holds it (adopt the server's
# "Default Email Notification" this way).
import {
  to = jetbackup_notification_integration.ops
  id = "6509fbecaa590ab6b3060b32"
}
