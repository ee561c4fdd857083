# narration.sh: every word "make demo" says, in English and in Korean.
#
# One entry per key; each entry holds its English lines (en) and its
# Korean lines (ko) side by side, so a change to one is seen next to the
# other.  say KEY [ARG...] prints the entry in $DEMO_LANG; the entries use
# the arguments as $2, $3 ...  Only printf writes the text, byte for byte,
# so the Korean needs no installed locale.
#
# The language comes from the first of LC_ALL, LC_MESSAGES and LANG that
# is set, as for any program's messages: ko... is Korean, anything else
# English.

demo_lang() {
	for v in "${LC_ALL:-}" "${LC_MESSAGES:-}" "${LANG:-}"; do
		[ -n "$v" ] || continue
		case $v in
		ko|ko_*|ko.*) echo ko ;;
		*) echo en ;;
		esac
		return
	done
	echo en
}

en() { [ "$DEMO_LANG" != en ] || printf '%s\n' "$@"; }
ko() { [ "$DEMO_LANG" != ko ] || printf '%s\n' "$@"; }

say() {
	case $1 in
	# --- the hosts -----------------------------------------------------
	server) en server; ko 서버 ;;
	attacker) en attacker; ko 공격자 ;;
	friend) en friend; ko 사용자 ;;

	# --- the start -----------------------------------------------------
	title)
		en "auditkit lab: a scanner probes a server, the sentry sees it and" \
		   "writes the scanner into hosts.deny, the super-server's tcp_wrappers" \
		   "check refuses that host while everyone else is still served, and" \
		   "lsof shows who holds which socket."
		ko "auditkit 실습: 스캐너가 서버를 탐색하면 sentry가 이를 탐지해 스캐너를" \
		   "hosts.deny에 기록하고, 슈퍼서버의 tcp_wrappers 검사는 그 호스트를 거부하면서" \
		   "다른 사용자에게는 계속 서비스하며, lsof는 어느 프로세스가 어떤 소켓을" \
		   "가지고 있는지 보여 준다."
		;;
	hosts)
		en "Three throw-away network namespaces joined by veth pairs, with" \
		   "documentation addresses and no route out, so nothing leaves this" \
		   "machine; every file lives in $2." \
		   "  server    $3 (attacker side), $4 (friend side)  namespace $5" \
		   "  attacker  $6  namespace $7" \
		   "  friend    $8  namespace $9"
		ko "veth 쌍으로 연결한 임시 네트워크 네임스페이스 세 개. 문서용 주소만 쓰고" \
		   "외부로 가는 경로가 없어 이 컴퓨터 밖으로는 아무것도 나가지 않는다." \
		   "모든 파일은 $2 안에 있다." \
		   "  서버    $3 (공격자 쪽), $4 (사용자 쪽)  네임스페이스 $5" \
		   "  공격자  $6  네임스페이스 $7" \
		   "  사용자  $8  네임스페이스 $9"
		;;
	hosts_lo)
		en "Not root: the loopback variant.  Every host is this machine, told" \
		   "apart by its loopback address: the server listens on 127.0.0.1," \
		   "the attacker is 127.0.0.2 and the friend 127.0.0.3; every file" \
		   "lives in $2.  Left out here, because they need root:" \
		   "  - separate hosts (network namespaces);" \
		   "  - sentry's stealth mode and pscan's SYN scan (raw packets);" \
		   "  - sentry's own block: every 127.x.x.x address is this machine," \
		   "    which sentry never blocks, so the demo writes the hosts.deny" \
		   "    line sentry would write;" \
		   "  - running the external server as another user (nobody)." \
		   "Run it as root (sudo make demo) for the whole story."
		ko "root가 아니므로 루프백 변형으로 진행한다. 모든 호스트가 이 컴퓨터이며" \
		   "루프백 주소로만 구별된다: 서버는 127.0.0.1에서 대기하고, 공격자는" \
		   "127.0.0.2, 사용자는 127.0.0.3이다. 모든 파일은 $2 안에 있다." \
		   "root 권한이 필요해서 여기서 빠지는 것:" \
		   "  - 서로 다른 호스트(네트워크 네임스페이스)" \
		   "  - sentry의 스텔스 모드와 pscan의 SYN 스캔(raw 패킷)" \
		   "  - sentry의 직접 차단: 127.x.x.x 주소는 모두 이 컴퓨터 자신이고" \
		   "    sentry는 자기 자신을 차단하지 않으므로, sentry가 썼을 hosts.deny" \
		   "    줄을 데모가 대신 쓴다" \
		   "  - 외부 서버를 다른 사용자(nobody)로 실행하기" \
		   "전체 이야기는 root로 실행하라(sudo make demo)."
		;;

	# --- the steps -----------------------------------------------------
	step1)
		en "A super-server listens on the ports of many services and starts a" \
		   "service's server only when a client connects, so idle services cost" \
		   "nothing.  inetd serves echo and daytime itself (internal services)" \
		   "and starts an external program for finger, handing it the" \
		   "connection on its standard input and output.  wait = no (nowait)" \
		   "means inetd accepts each connection and starts one server per" \
		   "client; wait = yes would hand the listening socket itself to a" \
		   "single server (the usual way for UDP services).  Every service is" \
		   "checked against hosts.allow and hosts.deny (tcp_wrappers); here" \
		   "both files are the demo's, and hosts.deny starts empty."
		ko "슈퍼서버는 여러 서비스의 포트에서 대기하다가 클라이언트가 접속할 때만" \
		   "그 서비스의 서버를 실행하므로, 쉬고 있는 서비스는 자원을 쓰지 않는다." \
		   "inetd는 echo와 daytime을 스스로 처리하고(내부 서비스), finger는 외부" \
		   "프로그램을 실행해 연결을 그 프로그램의 표준 입력과 출력으로 넘긴다." \
		   "wait = no(nowait)는 inetd가 연결마다 accept하여 클라이언트마다 서버를" \
		   "하나씩 실행한다는 뜻이다. wait = yes라면 대기 소켓 자체를 서버 하나에" \
		   "넘긴다(UDP 서비스에서 흔한 방식). 모든 서비스는 hosts.allow와" \
		   "hosts.deny(tcp_wrappers)로 검사한다. 여기서는 두 파일 모두 데모의" \
		   "파일이며 hosts.deny는 비어 있는 상태로 시작한다."
		;;
	step2)
		en "sentry watches ports that nobody should touch.  A classic mode (-udp" \
		   "here) binds its ports like a service and counts any datagram or" \
		   "connection as a probe; a stealth mode (-stcp) binds nothing and" \
		   "reads the packets sent to its ports, so it also sees scans that" \
		   "never complete a connection.  When a source has probed" \
		   "SCAN_TRIGGER=3 ports within SCAN_WINDOW=10 seconds, sentry adds" \
		   "\"ALL: address : DENY\" to HOSTS_DENY_FILE, the file inetd reads." \
		   "Blocking on spoofable evidence is dangerous: nothing in a SYN or UDP" \
		   "probe proves where it came from, so anyone can forge probes from the" \
		   "address of your gateway, your resolver or your users and make a" \
		   "blocking sentry cut them off.  That is why the ignore file lists the" \
		   "friend ($2): hosts you cannot afford to lose are never blocked."
		ko "sentry는 아무도 건드릴 이유가 없는 포트를 지켜본다. 클래식 모드(여기서는" \
		   "-udp)는 서비스처럼 포트를 바인드하고 들어오는 데이터그램이나 연결을 모두" \
		   "탐색으로 센다. 스텔스 모드(-stcp)는 아무것도 바인드하지 않고 그 포트로" \
		   "오는 패킷을 읽으므로, 연결을 끝까지 맺지 않는 스캔도 본다. 한 출발지가" \
		   "SCAN_WINDOW=10초 안에 SCAN_TRIGGER=3개의 포트를 탐색하면, sentry는" \
		   "inetd가 읽는 파일인 HOSTS_DENY_FILE에 \"ALL: 주소 : DENY\"를 추가한다." \
		   "위조할 수 있는 증거로 차단하는 것은 위험하다: SYN이나 UDP 탐색 패킷의" \
		   "출발지 주소는 아무것도 증명하지 않으므로, 누구든 게이트웨이나 DNS 서버," \
		   "사용자의 주소로 탐색을 위조해 차단하는 sentry가 그들을 끊게 만들 수" \
		   "있다. 그래서 무시 파일에 사용자($2)를 적었다: 잃어서는 안 되는" \
		   "호스트는 절대 차단하지 않는다."
		;;
	step2_lo)
		en "sentry watches ports that nobody should touch.  Its classic modes" \
		   "(-tcp and -udp) bind their ports like a service and count any" \
		   "connection or datagram as a probe, so to a scanner those ports look" \
		   "open.  A stealth mode, which reads packets instead, needs root." \
		   "Probes from this machine's own addresses are never reported: a probe" \
		   "proves nothing about its source, and a sentry that blocked on such" \
		   "spoofable evidence could be made to cut off anyone, this machine" \
		   "first.  For the same reason the ignore file lists the friend."
		ko "sentry는 아무도 건드릴 이유가 없는 포트를 지켜본다. 클래식 모드(-tcp와" \
		   "-udp)는 서비스처럼 포트를 바인드하고 들어오는 연결이나 데이터그램을 모두" \
		   "탐색으로 센다. 그래서 스캐너에게는 그 포트가 열려 있는 것처럼 보인다." \
		   "패킷을 직접 읽는 스텔스 모드는 root가 필요하다. 이 컴퓨터 자신의 주소에서" \
		   "온 탐색은 보고하지 않는다: 탐색 패킷은 출발지에 대해 아무것도 증명하지" \
		   "않으며, 위조할 수 있는 증거로 차단하는 sentry는 누구든, 우선 이 컴퓨터" \
		   "자신부터 끊게 될 수 있다. 같은 이유로 무시 파일에 사용자를 적었다."
		;;
	step3)
		en "lsof lists open files, and a socket is a file: -i selects the" \
		   "internet sockets, -n and -P print addresses and ports as numbers." \
		   "inetd holds one listening socket per service; sentry's classic mode" \
		   "holds its UDP ports, while its stealth mode holds no port at all."
		ko "lsof는 열린 파일을 보여 주며 소켓도 파일이다: -i는 인터넷 소켓을 고르고," \
		   "-n과 -P는 주소와 포트를 숫자로 보여 준다. inetd는 서비스마다 대기 소켓을" \
		   "하나씩 가지고 있고, sentry의 클래식 모드는 UDP 포트들을 잡고 있지만" \
		   "스텔스 모드는 포트를 하나도 잡지 않는다."
		;;
	step3_lo)
		en "lsof lists open files, and a socket is a file: -i selects the" \
		   "internet sockets, -n and -P print addresses and ports as numbers," \
		   "-a -p keeps the demo's two daemons.  inetd holds one listening" \
		   "socket per service, sentry's classic modes hold their ports."
		ko "lsof는 열린 파일을 보여 주며 소켓도 파일이다: -i는 인터넷 소켓을 고르고," \
		   "-n과 -P는 주소와 포트를 숫자로, -a -p는 데모의 두 데몬만 보여 준다." \
		   "inetd는 서비스마다 대기 소켓을 하나씩, sentry의 클래식 모드는 자기" \
		   "포트들을 잡고 있다."
		;;
	step4)
		en "The friend uses the finger service.  inetd accepts the connection," \
		   "checks the rules (nothing denies the friend), starts the server and" \
		   "logs a START line, then an EXIT line when the server ends, in" \
		   "xinetd's format."
		ko "사용자가 finger 서비스를 쓴다. inetd는 연결을 받아 규칙을 검사하고" \
		   "(사용자를 거부하는 규칙은 없다) 서버를 실행하며 START 줄을, 서버가" \
		   "끝나면 EXIT 줄을 xinetd 형식으로 기록한다."
		;;
	step5)
		en "The attacker scans the server.  A SYN (\"stealth\", half-open) scan" \
		   "sends a lone SYN to each port: an open port answers SYN-ACK, a" \
		   "closed one RST, and the scanner resets the connection at once, so" \
		   "it never completes and a program that only accepts connections" \
		   "never hears of it.  A connect scan (-sT) lets the kernel complete" \
		   "each connection, which every service sees and logs."
		ko "공격자가 서버를 스캔한다. SYN(\"스텔스\", 하프오픈) 스캔은 포트마다 SYN" \
		   "하나만 보낸다: 열린 포트는 SYN-ACK로, 닫힌 포트는 RST로 답하고 스캐너는" \
		   "곧바로 연결을 리셋한다. 연결이 완성되지 않으므로 연결을 accept만 하는" \
		   "프로그램은 스캔을 알아채지 못한다. 연결 스캔(-sT)은 커널이 연결을" \
		   "끝까지 맺으므로 모든 서비스가 이를 보고 기록한다."
		;;
	step5_lo)
		en "The attacker scans the server with a connect scan (-sT): the kernel" \
		   "completes each connection, which every service sees.  (A SYN scan," \
		   "which sends lone SYN packets and never completes a connection," \
		   "needs raw sockets, so root.)  sentry's classic ports answer like" \
		   "open services."
		ko "공격자가 연결 스캔(-sT)으로 서버를 스캔한다: 커널이 연결을 끝까지" \
		   "맺으므로 모든 서비스가 이를 본다. (SYN 하나만 보내고 연결을 완성하지" \
		   "않는 SYN 스캔은 raw 소켓, 즉 root가 필요하다.) sentry의 클래식 포트는" \
		   "열린 서비스처럼 응답한다."
		;;
	step6)
		en "sentry's foreground event lines (-D): each probe of a watched port" \
		   "is an 'attackalert' line, in portsentry's words.  Once the attacker" \
		   "had probed three ports, sentry blocked it: one line in hosts.deny," \
		   "and the block recorded where sentry -l lists it.  The friend and" \
		   "the server itself were never candidates."
		ko "sentry의 포그라운드 이벤트 줄(-D): 감시하는 포트에 대한 탐색마다" \
		   "portsentry와 같은 'attackalert' 줄이 나온다. 공격자가 포트 세 개를" \
		   "탐색하자 sentry가 차단했다: hosts.deny에 한 줄이 추가되고, 차단 기록은" \
		   "sentry -l로 볼 수 있다. 사용자와 서버 자신은 처음부터 대상이 아니었다."
		;;
	step6_lo)
		en "sentry saw the connections but reported none: they came from this" \
		   "machine.  This is the part the loopback variant leaves out; the demo" \
		   "writes the line sentry would have written for a real attacker," \
		   "127.0.0.2, into the same hosts.deny."
		ko "sentry는 연결을 보았지만 하나도 보고하지 않았다: 이 컴퓨터 자신에게서" \
		   "온 것이기 때문이다. 루프백 변형에서 빠지는 부분이 바로 이것이다. 데모가" \
		   "진짜 공격자 127.0.0.2에 대해 sentry가 썼을 줄을 같은 hosts.deny에 쓴다."
		;;
	step7)
		en "The attacker tries the service again.  tcp_wrappers decide in this" \
		   "order: the first rule of hosts.allow that matches grants; else the" \
		   "first rule of hosts.deny that matches denies; else access is" \
		   "granted.  The attacker matches sentry's line, so inetd closes the" \
		   "connection and logs FAIL ... libwrap (for an external service the" \
		   "check runs in the server's process, between START and EXIT, as in" \
		   "xinetd).  Note that the connection was accepted first: to a scanner" \
		   "the port still looks open; only a firewall rule (sentry's" \
		   "KILL_ROUTE) would hide it.  inetd -A tells which rule decides, as" \
		   "tcpdmatch does, and the friend is still served."
		ko "공격자가 다시 서비스를 시도한다. tcp_wrappers는 다음 순서로 결정한다:" \
		   "hosts.allow에서 처음 일치하는 규칙이 허용하고, 없으면 hosts.deny에서" \
		   "처음 일치하는 규칙이 거부하며, 둘 다 없으면 허용한다. 공격자는 sentry가" \
		   "쓴 줄과 일치하므로 inetd는 연결을 닫고 FAIL ... libwrap을 기록한다" \
		   "(외부 서비스는 xinetd처럼 서버 프로세스 안에서, START와 EXIT 사이에" \
		   "검사한다). 연결은 먼저 받아들여졌다는 점에 주의하라: 스캐너에게 포트는" \
		   "여전히 열려 보이며, 방화벽 규칙(sentry의 KILL_ROUTE)만이 포트를 숨긴다." \
		   "inetd -A는 tcpdmatch처럼 어느 규칙이 결정하는지 알려 주며, 사용자는" \
		   "여전히 서비스를 받는다."
		;;
	step8)
		en "Everything is torn down, whatever happened on the way: the daemons" \
		   "are stopped, the namespaces deleted and the temporary directory" \
		   "removed."
		ko "도중에 무슨 일이 있었든 모두 정리한다: 데몬을 멈추고 네임스페이스를" \
		   "지우고 임시 디렉터리를 삭제한다."
		;;
	step8_lo)
		en "Everything is torn down, whatever happened on the way: the daemons" \
		   "are stopped and the temporary directory removed."
		ko "도중에 무슨 일이 있었든 모두 정리한다: 데몬을 멈추고 임시 디렉터리를" \
		   "삭제한다."
		;;

	# --- step titles -----------------------------------------------------
	title1) en "inetd, a super-server"; ko "inetd, 슈퍼서버" ;;
	title2) en "sentry, a scan detector"; ko "sentry, 스캔 탐지기" ;;
	title3) en "lsof: who listens where"; ko "lsof: 누가 어디서 대기하는가" ;;
	title4) en "the friend is served"; ko "사용자가 서비스를 받는다" ;;
	title5) en "pscan: the attacker scans"; ko "pscan: 공격자의 스캔" ;;
	title6) en "sentry's alerts and the new hosts.deny line"
		ko "sentry의 경보와 새 hosts.deny 줄" ;;
	title7) en "tcp_wrappers refuse the attacker"
		ko "tcp_wrappers가 공격자를 거부한다" ;;
	title8) en "tear-down"; ko "정리" ;;

	# --- what each step must show ------------------------------------------
	chk_inetd) en "inetd listens on the ports of echo, daytime and finger"
		ko "inetd가 echo, daytime, finger 포트에서 대기한다" ;;
	chk_sentry) en "sentry is active"; ko "sentry가 동작 중이다" ;;
	chk_lsof) en "lsof shows inetd's listening sockets and sentry's ports"
		ko "lsof가 inetd의 대기 소켓과 sentry의 포트를 보여 준다" ;;
	chk_served) en "the friend ($2) is served, with START and EXIT lines"
		ko "사용자($2)가 서비스를 받고 START와 EXIT 줄이 기록된다" ;;
	chk_syn) en "the SYN scan reports echo, daytime and finger open"
		ko "SYN 스캔이 echo, daytime, finger를 열린 포트로 보고한다" ;;
	chk_connect) en "the connect scan reports echo, daytime and finger open"
		ko "연결 스캔이 echo, daytime, finger를 열린 포트로 보고한다" ;;
	chk_alert) en "sentry reports the scan from $2"
		ko "sentry가 $2의 스캔을 보고한다" ;;
	chk_deny) en "hosts.deny holds the line for $2"
		ko "hosts.deny에 $2에 대한 줄이 있다" ;;
	chk_silent) en "sentry reports nothing from this machine"
		ko "sentry가 이 컴퓨터에서 온 것은 보고하지 않는다" ;;
	chk_refused) en "the attacker ($2) gets no answer and a FAIL libwrap line"
		ko "공격자($2)는 응답을 받지 못하고 FAIL libwrap 줄이 기록된다" ;;
	chk_access) en "inetd -A: $2 denied by hosts.deny line 1, $3 granted"
		ko "inetd -A: $2 → hosts.deny 1번 줄에 따라 거부, $3 → 허용" ;;
	chk_still) en "the friend is still served"
		ko "사용자는 여전히 서비스를 받는다" ;;
	chk_gone) en "no daemon, namespace or file of the demo is left"
		ko "데모의 데몬, 네임스페이스, 파일이 하나도 남지 않았다" ;;

	# --- verdicts ----------------------------------------------------------
	ok) en "  ok: $2"; ko "  확인: $2" ;;
	bad) en "  NOT AS EXPECTED: $2"; ko "  예상과 다름: $2" ;;
	all_ok) en "demo done: every step went as expected."
		ko "데모 완료: 모든 단계가 예상대로 진행되었다." ;;
	some_bad) en "demo done: these steps did not go as expected:"
		ko "데모 완료: 다음 단계가 예상과 다르게 진행되었다:" ;;
	failed_step) en "  step $2: $3"; ko "  $2단계: $3" ;;
	no_ns) en "could not create network namespaces: $2"
		ko "네트워크 네임스페이스를 만들 수 없다: $2" ;;

	# --- comments shown after commands -------------------------------------
	c_check) en "check the file, serve nothing"
		ko "파일만 검사하고 서비스는 하지 않는다" ;;
	c_fg) en "in the foreground, messages on standard error"
		ko "포그라운드에서, 메시지는 표준 오류로" ;;
	c_events) en "event lines on standard output"
		ko "이벤트 줄은 표준 출력으로" ;;
	c_by_hand) en "what sentry would write for 127.0.0.2"
		ko "sentry가 127.0.0.2에 대해 썼을 줄" ;;
	c_clients) en "the clients to check, one a line"
		ko "검사할 클라이언트, 한 줄에 하나" ;;
	c_more) en "... $2 lines in all"; ko "... 모두 $2줄" ;;
	*) printf '%s\n' "(narration: no entry for $1)" ;;
	esac
}
