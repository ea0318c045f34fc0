# Terraform 1.5 and later: an import block. Without a matching resource block,
# `terraform plan -generate-config-out=generated.tf` writes its configuration
# from the filter as JetBackup holds it.
import {
  to = jetbackup_account_filter.no_resellers
  id = "6503e82270c7bdb29f08c6c2"
}
