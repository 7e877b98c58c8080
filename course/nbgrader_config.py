# nbgrader configuration for this course's TypeScript notebooks (tslab kernel),
# for instructors who already run nbgrader. The course's own grader,
# `npm run course -- grade`, is the recommended way to grade (see grading.md):
# nbgrader's autograde executes notebooks through the kernel, and with tslab a
# failing cell leaves only a stderr stream and the cells right after it come
# back without output, so nbgrader can score those cells wrongly.
#
# Use: copy this file into your nbgrader course folder (beside source/), put
# the instructor notebooks (`npm run course -- build`, instructor/) under
# source/<assignment>/, and run nbgrader with the course's environment, e.g.
#
#     COURSE_QUICK=1 nbgrader generate_assignment ch04
#     COURSE_QUICK=1 nbgrader autograde ch04
#
# The kernel inherits COURSE_QUICK=1 (quick mode: a slice of the data, one
# epoch), which keeps every chapter's cells well inside the timeout below.

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "dl-course"

# The markers of course/exercises.md. nbgrader finds them anywhere in a line,
# so the TypeScript comment `// BEGIN SOLUTION` matches.
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

# What replaces a solution in the student version, by the notebook's
# kernelspec language ("typescript" for tslab): a TypeScript stub that throws,
# as `npm run course -- build` writes it (that one also names the exercise).
c.ClearSolutions.code_stub = {
    "typescript": "// Your solution here (replace the line below).\nthrow new Error('not implemented');",
}

# Every cell with exercise metadata must be well formed (schema version 3).
c.ClearSolutions.enforce_metadata = True

# Seconds per cell. In quick mode the slowest cell of any chapter (training
# chapter 05's CNN on a slice) takes a few seconds on 2 cores; 300 s leaves room
# for slow machines and for the first start of the WebAssembly backend.
c.Execute.timeout = 300
c.Execute.interrupt_on_timeout = True
