# The differential test's second corpus: Trivy's Terraform examples as pulumi-aws resources
# (tests/policy_checkov/trivy; tools/trivy_corpus.py, tools/terraform_to_pulumi.py).
#
#   make trivy-corpus                      re-translate the kept examples into trivy/corpus.json
#   make trivy-corpus TRIVY_CHECKS=<git>   first copy the examples afresh from a trivy-checks clone's
#                                          HEAD (its git dir, e.g. the one `fetch` puts under
#                                          /work/.mirror/aquasecurity+trivy-checks/repo)
#
# The HCL parser is Checkov's pinned one, run by .venv-checkov's Python (tools/hcl_json.py); the
# translation reads pulumi-aws from .venv. tests/policy_checkov/test_trivy_corpus.py fails while
# the corpus and the kept examples disagree.

.PHONY: trivy-corpus

trivy-corpus: $(VENV_STAMP) $(CHECKOV_STAMP) ## Re-translate Trivy's kept Terraform examples (TRIVY_CHECKS=<git dir> re-copies them).
	$(PY) -m tools.trivy_corpus $(if $(TRIVY_CHECKS),--trivy-checks $(TRIVY_CHECKS))
