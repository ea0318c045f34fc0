# Terraform 1.5 and later: an import block. Without a matching resource block,
# `terraform plan -generate-config-out=generated.tf` writes its configuration
# from the hook as JetBackup holds it.
import {
  to = jetbackup_hook.dump
  id = "6509273a7cc0fb810207f612"
}
