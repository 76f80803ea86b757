"""pinnlab.machine: the CPU description and the git commit every record names."""

import subprocess

import pytest

from pinnlab import machine


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.org")
    git(tmp_path, "config", "user.name", "t")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text("x = 1\n")
    (tmp_path / "notes.txt").write_text("free text\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first")
    monkeypatch.chdir(tmp_path)
    machine.git_commit.cache_clear()
    yield tmp_path
    machine.git_commit.cache_clear()


def head(repo) -> str:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_commit_is_head_and_marks_changes_to_the_dag_sources_only(repo):
    (repo / "notes.txt").write_text("edited, not a DAG source\n")
    assert machine.git_commit() == head(repo)
    machine.git_commit.cache_clear()
    (repo / "src" / "a.py").write_text("x = 2\n")
    assert machine.git_commit() == head(repo) + "+uncommitted changes"


def test_commit_is_taken_once_so_a_later_commit_is_not_attributed(repo):
    first = machine.git_commit()  # a job starts
    (repo / "src" / "a.py").write_text("x = 3\n")
    git(repo, "commit", "-qam", "made while the job ran")
    assert head(repo) != first and machine.git_commit() == first  # the job ends: still its starting commit


def test_outside_a_checkout_the_commit_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # no repository above tmp_path either
    monkeypatch.setenv("PINNLAB_GIT_COMMIT", "abc123")
    machine.git_commit.cache_clear()
    try:
        assert machine.git_commit() == "abc123"
    finally:
        machine.git_commit.cache_clear()


def test_describes_the_cpu_from_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nmodel name\t: Test CPU 9000\n")
    assert machine.cpu_model(info) == "Test CPU 9000"
    assert machine.describe_machine()["cores"] >= 1


def test_an_x86_cpu_is_named_with_its_family_model_and_vector_extension(tmp_path):
    """Two hosts both called "AMD EPYC" differ in the numbers and in what XLA compiles for."""
    info = tmp_path / "cpuinfo"
    for flags, vector in (("fpu sse2 avx avx2 avx512f avx512bw", "avx512f"), ("fpu sse2 avx avx2", "avx2"),
                          ("fpu sse2", "no AVX")):
        info.write_text(f"processor\t: 0\ncpu family\t: 25\nmodel\t\t: 17\nmodel name\t: AMD EPYC\n"
                        f"flags\t\t: {flags}\nprocessor\t: 1\ncpu family\t: 99\n")
        assert machine.cpu_model(info) == f"AMD EPYC (family 25, model 17, {vector})"
